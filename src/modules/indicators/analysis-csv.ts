/** The analysis table as CSV: one row per indicator and period, with its standing nationally and in the group. */
import { spreadsheetCsv } from '../../files/spreadsheet-csv.js';
import type { Analysis } from './analysis.types.js';

export function analysisCsv(analysis: Analysis): string {
  const rows = analysis.indicators.flatMap((i) =>
    i.periods.map((p) => [
      i.code,
      i.title,
      i.unit,
      i.category,
      p.label,
      p.value ?? '',
      p.quality ?? '',
      p.national?.rank ?? '',
      p.national?.count ?? '',
      p.national?.quartile ?? '',
      p.national?.median ?? '',
      p.group?.rank ?? '',
      p.group?.count ?? '',
      p.group?.quartile ?? '',
      p.group?.median ?? '',
      i.direction,
      i.slope ?? '',
      i.quartileMovement ?? '',
    ]),
  );
  return spreadsheetCsv(
    [
      'indicator_code',
      'title',
      'unit',
      'category',
      'period',
      'value',
      'quality',
      'national_rank',
      'national_count',
      'national_quartile',
      'national_median',
      'group_rank',
      'group_count',
      'group_quartile',
      'group_median',
      'direction',
      'slope_per_period',
      'quartile_movement',
    ],
    rows,
  );
}
