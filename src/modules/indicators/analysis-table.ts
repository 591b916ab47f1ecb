/**
 * The lines of the analysis page's indicator table, one per period of the window, as plain text: the page
 * shows hundreds of indicators, and writing their lines in the template (a loop per cell, each setting its
 * loop variables) would cost more than all the rest of the page's rendering. The template escapes and joins
 * them (`lines`).
 */
import type { IndicatorAnalysis, Standing } from './analysis.types.js';
import { formatFigure } from './figure-format.js';

const standing = (s: Standing | null) => (s ? `${s.quartile} (${s.rank} of ${s.count})` : '–');

export function tableLines(indicator: IndicatorAnalysis) {
  const { periods, quartileMovement, unit, polarity, target } = indicator;
  // A target indicator is placed by its distance to the target: the line says that distance beside the value.
  const distance = (value: number) =>
    polarity === 'target' && target !== null ? `, ${formatFigure(Math.abs(value - target), unit)} from the target` : '';
  return {
    values: periods.map(
      (p) =>
        `${p.label}: ${p.value === null ? '–' : formatFigure(p.value, unit) + distance(p.value)}${p.quality ? ` (${p.quality.replaceAll('_', ' ')})` : ''}`,
    ),
    national: periods.map((p) => standing(p.national)),
    group: periods.map((p) => standing(p.group)),
    movement: quartileMovement ? `${quartileMovement > 0 ? 'up' : 'down'} ${Math.abs(quartileMovement)}` : undefined,
  };
}
