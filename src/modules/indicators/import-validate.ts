/**
 * Checking raw rows against the organisations and indicators that exist: every bad row is reported by
 * its line and reason, and only a file without any is imported. No I/O, so every case is unit-tested; it
 * only pauses now and then to let other requests run.
 */
import { yieldToEventLoop } from './indicators.recompute.js';
import { parsePeriod, PERIOD_EXAMPLES, type PeriodType } from './periods.js';
import type { RawRow } from './import-file.js';
import { QUALITY_FLAGS, type QualityFlag } from './indicators.tables.js';

export interface ImportRow {
  indicatorId: string;
  periodIndex: number;
  organisationId: string;
  period: string;
  value: number | null;
  quality: QualityFlag | null;
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface Lookups {
  organisations: ReadonlyMap<string, string>;
  indicators: ReadonlyMap<string, { id: string; periodType: PeriodType }>;
}

const POINT_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const COMMA_NUMBER = /^[-+]?\d+(,\d+)?$/;

/** A number written with a full stop (or, in a semicolon file, a comma) as the decimal separator. */
export function parseNumber(text: string, decimalComma: boolean): number | undefined {
  const compact = text.replace(/\s/g, '');
  if (decimalComma && COMMA_NUMBER.test(compact)) return Number(compact.replace(',', '.'));
  return POINT_NUMBER.test(compact) ? Number(compact) : undefined;
}

function numberProblem(text: string, decimalComma: boolean): string {
  if (!decimalComma && /^[-+]?\d+,\d+$/.test(text))
    return `The value "${text}" has a comma: use a full stop for decimals (12.5) and no thousands separators`;
  return `The value "${text}" is not a number`;
}

const QUALITY_WORDS: Record<string, QualityFlag> = Object.fromEntries(
  QUALITY_FLAGS.flatMap((q) => [
    [q, q],
    [q.replace('_', ' '), q],
  ]),
);

/** Rows checked between yields to the event loop (about 20 ms of work). */
const ROWS_PER_TURN = 20_000;

export async function validateRows(
  rows: readonly RawRow[],
  lookups: Lookups,
): Promise<{ rows: ImportRow[]; problems: RowProblem[] }> {
  const valid: ImportRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const [i, raw] of rows.entries()) {
    if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await yieldToEventLoop();
    const reasons: string[] = [];
    const organisationId = lookups.organisations.get(raw.organisation.toUpperCase());
    if (!raw.organisation) reasons.push('The organisation code is missing');
    else if (!organisationId) reasons.push(`No organisation has the code "${raw.organisation}"`);
    const indicator = lookups.indicators.get(raw.indicator.toUpperCase());
    if (!raw.indicator) reasons.push('The indicator code is missing');
    else if (!indicator) reasons.push(`No indicator has the code "${raw.indicator}"`);
    const period = indicator ? parsePeriod(raw.period, indicator.periodType) : undefined;
    if (indicator && !period)
      reasons.push(
        `The period "${raw.period}" is not in the form of this indicator’s periods, like ${PERIOD_EXAMPLES[indicator.periodType]}`,
      );
    const quality = raw.quality === '' ? null : QUALITY_WORDS[raw.quality.toLowerCase()];
    if (quality === undefined)
      reasons.push(`The quality "${raw.quality}" is not one of estimated, provisional, not collected`);
    let value: number | null = null;
    if (typeof raw.value === 'number') value = raw.value;
    else if (raw.value === '') {
      if (quality !== 'not_collected') reasons.push('The value is missing (leave it empty only when not collected)');
    } else {
      const parsed = parseNumber(raw.value, raw.decimalComma);
      if (parsed === undefined || !Number.isFinite(parsed)) reasons.push(numberProblem(raw.value, raw.decimalComma));
      else value = parsed;
    }
    if (organisationId && indicator && period) {
      const key = `${organisationId}|${indicator.id}|${period.index}`;
      const first = seen.get(key);
      if (first !== undefined) reasons.push(`A duplicate of line ${first} (same organisation, indicator and period)`);
      else seen.set(key, raw.line);
    }
    if (reasons.length > 0) {
      problems.push({ line: raw.line, message: reasons.join('; ') });
    } else {
      valid.push({
        indicatorId: indicator!.id,
        periodIndex: period!.index,
        organisationId: organisationId!,
        period: period!.label,
        value,
        quality: quality ?? null,
      });
    }
  }
  return { rows: valid, problems };
}
