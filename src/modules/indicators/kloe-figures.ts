/**
 * The figures of an analysis that bear on each KLOE statement about performance data, in words an
 * inspector can set beside the statement: 4.2 (improvements in outcomes), 4.3 (direction of travel of
 * key indicators over three years, of this and comparable services), 4.4 and 5.2.3 (value for money over
 * time and costs compared with others).
 */
import type { Analysis, Shares } from './analysis.types.js';

export const PERFORMANCE_KLOES = ['4.2', '4.3', '4.4', '5.2.3'] as const;

const pct = (share: number | null) => (share === null ? 'no figure' : `${Math.round(share * 100)}%`);

function improving(shares: Shares, what: string): string {
  const judged = shares.improving + shares.stable + shares.declining;
  return `${shares.improving} of ${judged} ${what} with a direction of travel improved (${pct(shares.shareImproving)}), ${shares.stable} stayed stable and ${shares.declining} declined`;
}

export function kloeFigures(analysis: Analysis): Record<(typeof PERFORMANCE_KLOES)[number], string[]> {
  const { all, outcomes, cost, groupMedian, valueForMoney } = analysis.summary;
  const group = analysis.group.name;
  const self = valueForMoney.find((p) => p.self);
  const others = valueForMoney.filter((p) => !p.self);
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    return sorted.length === 0
      ? null
      : sorted.length % 2
        ? sorted[Math.floor(mid)]!
        : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const position = (x: number | null) => (x === null ? 'no figure' : `${Math.round(x)} of 100`);
  const window = `the last ${analysis.window} periods`;
  return {
    '4.2': [
      `Outcome indicators (performance and satisfaction): ${improving(outcomes, 'indicators')} over ${window}.`,
      `The median organisation in ${group} improved on ${pct(groupMedian.outcomesShareImproving)} of its outcome indicators.`,
    ],
    '4.3': [
      `${improving(all, 'indicators')} over ${window}; ${pct(all.shareTopQuartile)} are in the top quartile of all providers in the latest period.`,
      `Comparable services (${group}): the median organisation improved on ${pct(groupMedian.shareImproving)} and had ${pct(groupMedian.shareTopQuartile)} in the top quartile.`,
    ],
    '4.4': [
      `Cost indicators: ${improving(cost, 'cost indicators')} (improving means cost falling) over ${window}.`,
      self
        ? `Value for money position (0 worst, 100 best among all providers): cost ${position(self.cost)}, performance ${position(self.performance)}.`
        : 'There are not enough cost and performance figures to place the organisation on value for money.',
    ],
    '5.2.3': [
      self
        ? `Costs compared with others: a cost position of ${position(self.cost)} against a median of ${position(median(others.map((o) => o.cost)))} in ${group}; performance ${position(self.performance)} against ${position(median(others.map((o) => o.performance)))}.`
        : 'There are not enough cost figures to compare costs with others.',
      `${pct(cost.shareTopQuartile)} of cost indicators are in the lowest-cost quartile nationally.`,
    ],
  };
}
