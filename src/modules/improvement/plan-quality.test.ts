import { describe, expect, it } from 'vitest';
import type { Analysis } from '../indicators/index.js';
import {
  improves,
  isChallenging,
  nextQuartileEdge,
  planQualityFlags,
  type Benchmark,
  type CheckedAction,
  type Polarity,
} from './plan-quality.js';
import { benchmarksFrom } from './target-benchmarks.js';

const measure = (baseline: number, target: number, indicatorCode = 'HR-01') => ({
  indicatorCode,
  baseline,
  target,
  targetPeriod: '2027/28',
});
const complete: CheckedAction = {
  ownerId: 'u1',
  dueDate: '2027-03-31',
  milestones: [{ title: 'Half way', date: '2026-09-30' }],
  measures: [measure(10, 20)],
};
const higher = new Map<string, Polarity>([['HR-01', { polarity: 'higher' }]]);
const codes = (flags: { code: string; count: number }[]) => flags.map((f) => [f.code, f.count]);

describe('planQualityFlags', () => {
  it('raises nothing for a complete plan', () => {
    expect(planQualityFlags([{ actions: [complete] }], higher)).toEqual([]);
  });

  it('counts actions without owner, due date or measure, and aims without actions', () => {
    const flags = planQualityFlags(
      [
        {
          actions: [
            { ...complete, ownerId: null },
            { ...complete, ownerId: null, dueDate: null, measures: [] },
          ],
        },
        { actions: [] },
      ],
      higher,
    );
    expect(codes(flags)).toEqual([
      ['aim_without_actions', 1],
      ['action_without_owner', 2],
      ['action_without_due_date', 1],
      ['action_without_measure', 1],
    ]);
    expect(flags[1]!.message).toBe('actions have no owner');
    expect(flags[2]!.message).toBe('action has no due date');
  });

  it('flags a milestone on the due date, not one before it nor one without a due date', () => {
    const onDue = { ...complete, milestones: [{ title: 'Last', date: '2027-03-31' }] };
    const noDue = { ...onDue, dueDate: null };
    expect(codes(planQualityFlags([{ actions: [complete, onDue] }], higher))).toEqual([
      ['milestone_not_before_due_date', 1],
    ]);
    expect(codes(planQualityFlags([{ actions: [noDue] }], higher))).toEqual([['action_without_due_date', 1]]);
  });

  it('flags targets no better than the baseline in the indicator’s polarity', () => {
    const lower = new Map<string, Polarity>([['HR-01', { polarity: 'lower' }]]);
    const flat = { ...complete, measures: [measure(10, 10)] };
    expect(codes(planQualityFlags([{ actions: [complete] }], lower))).toEqual([['target_not_better_than_baseline', 1]]);
    expect(codes(planQualityFlags([{ actions: [flat] }], higher))).toEqual([['target_not_better_than_baseline', 1]]);
  });
});

describe('improves', () => {
  it('judges a target-polarity indicator by the distance to its own target', () => {
    const towards = { polarity: 'target', target: 100 } as const;
    expect(improves(measure(80, 95), towards)).toBe(true);
    expect(improves(measure(95, 110), towards)).toBe(false);
    expect(improves(measure(120, 101), towards)).toBe(true);
  });
});

describe('challenging targets', () => {
  const aims = (target: number, baseline = 60) => [
    {
      actions: [
        {
          ownerId: 'u',
          dueDate: '2028-03-31',
          milestones: [],
          measures: [{ indicatorCode: 'SAT', baseline, target, targetPeriod: '2027/28' }],
        },
      ],
    },
  ];
  const higher = new Map([['SAT', { polarity: 'higher' } as const]]);

  const benchmark = (quartile: number, groupMedian: number | null = null): Benchmark => ({
    national: { quartile, q1: 50, median: 65, q3: 80 },
    groupMedian,
  });
  const flagged = (target: number, b: Benchmark, polarity: ReadonlyMap<string, Polarity> = higher, baseline = 60) =>
    planQualityFlags(aims(target, baseline), polarity, new Map([['SAT', b]])).map((f) => f.code);

  it('passes a target that lifts the organisation into the next better quartile, and flags one that does not', () => {
    // In the third quarter (between q1 50 and the median 65): the target must reach the median.
    expect(flagged(65, benchmark(3))).toEqual([]);
    expect(flagged(64, benchmark(3))).toEqual(['target_not_challenging']);
    // In the bottom quarter: reaching q1 is a quartile up; already in the top quarter: staying there.
    expect(flagged(50, benchmark(4), higher, 40)).toEqual([]);
    expect(flagged(49, benchmark(4), higher, 40)).toEqual(['target_not_challenging']);
    expect(flagged(79, benchmark(1), higher, 78)).toEqual(['target_not_challenging']);
    expect(flagged(85, benchmark(1), higher, 82)).toEqual([]);
  });

  it('passes a target that beats the comparator group’s median, whatever the quartile', () => {
    // Short of the national median (third quarter) but better than its nearest neighbours' median.
    expect(flagged(62, benchmark(3, 60))).toEqual([]);
    expect(flagged(62, benchmark(3, 62))).toEqual(['target_not_challenging']);
    expect(flagged(62, { national: null, groupMedian: 61 })).toEqual([]);
    expect(flagged(62, { national: null, groupMedian: 70 })).toEqual(['target_not_challenging']);
  });

  it('judges lower-is-better indicators the other way, and leaves unjudged what has no figures', () => {
    const lower = new Map([['SAT', { polarity: 'lower' } as const]]);
    // Lower is better: the third quarter lies between the median 65 and q3 80; the next edge is the median.
    expect(flagged(66, benchmark(3), lower, 75)).toEqual(['target_not_challenging']);
    expect(flagged(65, benchmark(3), lower, 75)).toEqual([]);
    expect(isChallenging(measure(90, 65), { polarity: 'lower' }, benchmark(3))).toBe(true);
    expect(flagged(70, { national: null, groupMedian: null })).toEqual([]);
    expect(planQualityFlags(aims(70), higher)).toEqual([]);
  });

  it('has no quartile edge for an indicator judged against its own target, only the group median', () => {
    const towards = { polarity: 'target', target: 100 } as const;
    expect(nextQuartileEdge(towards, benchmark(3).national!)).toBeNull();
    expect(isChallenging(measure(80, 95), towards, benchmark(3))).toBeUndefined();
    expect(isChallenging(measure(80, 95), towards, benchmark(3, 90))).toBe(true);
    expect(isChallenging(measure(80, 85), towards, benchmark(3, 90))).toBe(false);
  });
});

describe('benchmarksFrom', () => {
  const period = (value: number | null, quartile: number, groupMedian: number) => ({
    label: 'x',
    index: 0,
    value,
    quality: null,
    national: { rank: 1, count: 9, quartile, q1: 1, median: 2, q3: 3 },
    group: { rank: 1, count: 5, quartile, q1: 1, median: groupMedian, q3: 3 },
  });

  it('takes the latest period with a value of the organisation, for the codes asked', () => {
    const analysis = {
      indicators: [
        { code: 'SAT', periods: [period(70, 3, 68), period(72, 2, 71), period(null, 1, 99)] },
        { code: 'COST', periods: [period(5, 4, 6)] },
        { code: 'NONE', periods: [period(null, 1, 1)] },
      ],
    } as unknown as Pick<Analysis, 'indicators'>;
    const found = benchmarksFrom(analysis, ['SAT', 'NONE']);
    expect([...found.keys()]).toEqual(['SAT']);
    expect(found.get('SAT')).toEqual({ national: { quartile: 2, q1: 1, median: 2, q3: 3 }, groupMedian: 71 });
  });
});
