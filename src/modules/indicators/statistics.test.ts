import { describe, expect, it } from 'vitest';
import {
  directionOfTravel,
  mannKendall,
  normalCdf,
  percentileCont,
  quartilePosition,
  quartiles,
  ranks,
  score,
  theilSen,
} from './statistics.js';

describe('quartiles (as PostgreSQL percentile_cont)', () => {
  it('interpolates between closest ranks', () => {
    // 1 2 3 4: positions 0.75, 1.5, 2.25 → 1.75, 2.5, 3.25 (what percentile_cont gives in SQL).
    expect(quartiles([4, 1, 3, 2])).toEqual({ q1: 1.75, median: 2.5, q3: 3.25 });
    // 1 3 7: positions 0.5, 1, 1.5 → 2, 3, 5.
    expect(quartiles([7, 1, 3])).toEqual({ q1: 2, median: 3, q3: 5 });
    expect(quartiles([5])).toEqual({ q1: 5, median: 5, q3: 5 });
    expect(percentileCont([10, 20], 0)).toBe(10);
    expect(percentileCont([10, 20], 1)).toBe(20);
    expect(() => percentileCont([], 0.5)).toThrow(RangeError);
  });

  it('places a score in the better quarter when it sits on a boundary', () => {
    const q = quartiles([1, 2, 3, 4, 5, 6, 7, 8]); // 2.75, 4.5, 6.25
    expect(q).toEqual({ q1: 2.75, median: 4.5, q3: 6.25 });
    expect([8, 6.25, 6, 4.5, 3, 2.75, 2].map((s) => quartilePosition(s, q))).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });
});

describe('ranks', () => {
  it('gives tied scores the same, best rank and skips the next (1224)', () => {
    expect(ranks([5, 3, 5, 1])).toEqual([1, 3, 1, 4]);
    expect(ranks([2, 2, 2])).toEqual([1, 1, 1]);
    expect(ranks([])).toEqual([]);
  });
});

describe('score (polarity)', () => {
  it('turns every polarity into higher-is-better', () => {
    expect(score(7, { polarity: 'higher' })).toBe(7);
    expect(score(7, { polarity: 'lower' })).toBe(-7);
    expect(score(7, { polarity: 'target', target: 10 })).toBe(-3);
    expect(score(13, { polarity: 'target', target: 10 })).toBe(-3);
  });
});

describe('Theil–Sen', () => {
  it('takes the median of pairwise slopes (hand-worked)', () => {
    // Slopes: 2, 0.5, 4/3, -1, 1, 3 → median (1 + 4/3) / 2 = 7/6.
    const fit = theilSen([
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
      { x: 4, y: 5 },
    ])!;
    expect(fit.slope).toBeCloseTo(7 / 6, 12);
    // Residuals y − 7/6·x: −1/6, 2/3, −3/2, 1/3 → median (−1/6 + 1/3) / 2 = 1/12.
    expect(fit.intercept).toBeCloseTo(1 / 12, 12);
  });

  it('resists an outlier that drags least squares', () => {
    const fit = theilSen([0, 1, 2, 3, 4].map((x) => ({ x, y: x === 4 ? 100 : 2 * x })))!;
    expect(fit.slope).toBe(2);
  });

  it('has no slope for fewer than two distinct x', () => {
    expect(theilSen([{ x: 1, y: 1 }])).toBeUndefined();
    expect(
      theilSen([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeUndefined();
  });
});

describe('Mann–Kendall', () => {
  it('computes S, its variance, Z and p (hand-worked)', () => {
    // Pairs of 10 12 11 15 14: +4, +1, +2, −1 → S = 6; Var = 5·4·15/18 = 50/3; Z = 5/√(50/3) = 1.2247.
    const result = mannKendall([10, 12, 11, 15, 14])!;
    expect(result.s).toBe(6);
    expect(result.variance).toBeCloseTo(50 / 3, 12);
    expect(result.z).toBeCloseTo(1.224745, 5);
    expect(result.p).toBeCloseTo(0.2207, 4);
  });

  it('corrects the variance for ties', () => {
    // 1 2 2 3: S = 3 + 1 + 1 = 5; one tie of two: Var = (4·3·13 − 2·1·9)/18 = 138/18.
    const result = mannKendall([1, 2, 2, 3])!;
    expect(result.s).toBe(5);
    expect(result.variance).toBeCloseTo(138 / 18, 12);
    expect(result.z).toBeCloseTo(4 / Math.sqrt(138 / 18), 12);
  });

  it('is negative for a falling series and absent below four points', () => {
    expect(mannKendall([5, 4, 3, 2, 1])!.s).toBe(-10);
    expect(mannKendall([1, 2, 3])).toBeUndefined();
    expect(mannKendall([4, 4, 4, 4])).toEqual({ s: 0, variance: 0, z: 0, p: 1 });
  });

  it('uses a normal distribution function accurate to the tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});

describe('direction of travel', () => {
  const higher = { polarity: 'higher' } as const;
  const lower = { polarity: 'lower' } as const;
  const pts = (...ys: number[]) => ys.map((y, i) => ({ x: 2021 + i, y }));

  it('calls a change within 2% of the typical value stable, and the boundary too', () => {
    // Change 2 over the window against a tolerance of 2% × 101 = 2.02.
    expect(directionOfTravel(pts(100, 101, 102), higher).direction).toBe('stable');
    // Slopes 0, 0.5, 1 → 0.5 per period, change 1; tolerance 2% × 50 = 1: on the boundary.
    const boundary = directionOfTravel(pts(50, 50, 51), higher);
    expect(boundary.change).toBe(1);
    expect(boundary.tolerance).toBeCloseTo(1, 12);
    expect(boundary.direction).toBe('stable');
    expect(directionOfTravel(pts(50, 50, 51.2), higher).direction).toBe('improving');
  });

  it('reads the same values the other way for lower-is-better', () => {
    expect(directionOfTravel(pts(100, 102, 104), higher).direction).toBe('improving');
    expect(directionOfTravel(pts(100, 102, 104), lower).direction).toBe('declining');
    expect(directionOfTravel(pts(104, 102, 100), lower).direction).toBe('improving');
  });

  it('judges closeness to a target', () => {
    const target = { polarity: 'target', target: 90 } as const;
    expect(directionOfTravel(pts(80, 85, 88), target).direction).toBe('improving');
    expect(directionOfTravel(pts(95, 100, 105), target).direction).toBe('declining');
  });

  it('spaces points by period, so a missing year leaves a gap', () => {
    const trend = directionOfTravel(
      [
        { x: 2019, y: 100 },
        { x: 2021, y: 110 },
      ],
      higher,
    );
    expect(trend.slope).toBe(5);
    expect(trend.change).toBe(10);
    expect(trend.direction).toBe('improving');
    expect(trend.mannKendall).toBeUndefined();
  });

  it('has no direction from one point', () => {
    expect(directionOfTravel(pts(5), higher)).toMatchObject({ direction: 'insufficient', points: 1 });
    expect(directionOfTravel([], higher).direction).toBe('insufficient');
  });

  it('adds Mann–Kendall on the scores from four points', () => {
    expect(directionOfTravel(pts(5, 4, 3, 2), lower).mannKendall!.s).toBe(6);
  });
});
