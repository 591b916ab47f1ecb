/**
 * The statistics of performance indicators, with no I/O: quartiles (as PostgreSQL's percentile_cont
 * computes them, so that figures from SQL and from here agree), ranks with ties, a robust trend
 * (Theil–Sen slope, Mann–Kendall test) and the polarity-aware direction of travel.
 */

export const POLARITIES = ['higher', 'lower', 'target'] as const;
export type Polarity = (typeof POLARITIES)[number];

/** What "better" means for an indicator: higher, lower, or closer to a target. */
export interface Orientation {
  polarity: Polarity;
  target?: number | null;
}

/**
 * A value turned into a score where higher is always better: the value, its negation, or minus its
 * distance from the target. Every ranking and direction works on scores, so polarity is handled once.
 */
export function score(value: number, orientation: Orientation): number {
  if (orientation.polarity === 'higher') return value;
  if (orientation.polarity === 'lower') return -value;
  return -Math.abs(value - (orientation.target ?? 0));
}

/** Linear interpolation between closest ranks: PostgreSQL's percentile_cont on already sorted values. */
export function percentileCont(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new RangeError('percentileCont needs at least one value');
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
}

export function quartiles(values: readonly number[]): Quartiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { q1: percentileCont(sorted, 0.25), median: percentileCont(sorted, 0.5), q3: percentileCont(sorted, 0.75) };
}

export function median(values: readonly number[]): number {
  return percentileCont(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * Quartile position, 1 (top: best quarter) to 4 (bottom), of a score among the quartiles of the
 * scores: a score on a boundary counts in the better quarter.
 */
export function quartilePosition(scoreValue: number, scoreQuartiles: Quartiles): 1 | 2 | 3 | 4 {
  if (scoreValue >= scoreQuartiles.q3) return 1;
  if (scoreValue >= scoreQuartiles.median) return 2;
  if (scoreValue >= scoreQuartiles.q1) return 3;
  return 4;
}

/** Competition ranks ("1224"), best score first: tied scores share the best rank, as SQL's rank() does. */
export function ranks(scores: readonly number[]): number[] {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s);
  const result = new Array<number>(scores.length);
  order.forEach((entry, position) => {
    const previous = order[position - 1];
    result[entry.i] = previous && previous.s === entry.s ? result[previous.i]! : position + 1;
  });
  return result;
}

export interface Point {
  x: number;
  y: number;
}

/** Theil–Sen estimator: the median of the slopes between every pair of points with different x. */
export function theilSen(points: readonly Point[]): { slope: number; intercept: number } | undefined {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      if (a.x !== b.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  if (slopes.length === 0) return undefined;
  const slope = median(slopes);
  return { slope, intercept: median(points.map((p) => p.y - slope * p.x)) };
}

/** Mann–Kendall needs at least this many points; below it no result is given (p could never be small). */
export const MANN_KENDALL_MIN_POINTS = 4;

export interface MannKendall {
  s: number;
  variance: number;
  z: number;
  /** Two-sided p-value from the normal approximation. */
  p: number;
}

/** Mann–Kendall trend test on values in time order, with the tie correction of the variance. */
export function mannKendall(values: readonly number[]): MannKendall | undefined {
  const n = values.length;
  if (n < MANN_KENDALL_MIN_POINTS) return undefined;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const tieGroups = new Map<number, number>();
  for (const v of values) tieGroups.set(v, (tieGroups.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieGroups.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance === 0) return { s, variance, z: 0, p: 1 };
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { s, variance, z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Standard normal distribution function (Abramowitz and Stegun 7.1.26; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export type Direction = 'improving' | 'stable' | 'declining' | 'insufficient';

/**
 * The tolerance band: a change over the window smaller than or equal to 2% of the typical size of the
 * values (the median of their absolute values) is "stable". It keeps rounding and noise from being
 * called a trend; the boundary itself counts as stable.
 */
export const TOLERANCE = 0.02;

export interface Trend {
  direction: Direction;
  /** Theil–Sen slope of the value per period (not of the score), when there are two periods or more. */
  slope: number | undefined;
  /** Estimated change in score over the window (slope of the score × periods spanned). */
  change: number | undefined;
  tolerance: number | undefined;
  points: number;
  mannKendall: MannKendall | undefined;
}

/** The direction of travel of one organisation's values (x: period index) over a window. */
export function directionOfTravel(points: readonly Point[], orientation: Orientation): Trend {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const valueTrend = theilSen(sorted);
  const scoreTrend = theilSen(sorted.map((p) => ({ x: p.x, y: score(p.y, orientation) })));
  if (!valueTrend || !scoreTrend)
    return {
      direction: 'insufficient',
      slope: undefined,
      change: undefined,
      tolerance: undefined,
      points: sorted.length,
      mannKendall: undefined,
    };
  const span = sorted[sorted.length - 1]!.x - sorted[0]!.x;
  const change = scoreTrend.slope * span;
  const tolerance = TOLERANCE * median(sorted.map((p) => Math.abs(p.y)));
  const direction: Direction = change > tolerance ? 'improving' : change < -tolerance ? 'declining' : 'stable';
  return {
    direction,
    slope: valueTrend.slope,
    change,
    tolerance,
    points: sorted.length,
    mannKendall: mannKendall(sorted.map((p) => score(p.y, orientation))),
  };
}
