import { describe, expect, it } from 'vitest';
import { beatsMedian, improves, planQualityFlags, type CheckedAction, type Polarity } from './plan-quality.js';

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
  const aims = (target: number) => [
    {
      actions: [
        {
          ownerId: 'u',
          dueDate: '2028-03-31',
          milestones: [],
          measures: [{ indicatorCode: 'SAT', baseline: 60, target, targetPeriod: '2027/28' }],
        },
      ],
    },
  ];
  const higher = new Map([['SAT', { polarity: 'higher' } as const]]);

  it('flags a target no better than the median of all providers, in the indicator’s polarity', () => {
    const medians = new Map([['SAT', 75]]);
    expect(planQualityFlags(aims(70), higher, medians).map((f) => f.code)).toEqual(['target_not_better_than_median']);
    expect(planQualityFlags(aims(80), higher, medians)).toEqual([]);
    expect(planQualityFlags(aims(70), higher)).toEqual([]);
    const lower = new Map([['SAT', { polarity: 'lower' } as const]]);
    expect(
      beatsMedian({ indicatorCode: 'SAT', baseline: 30, target: 20, targetPeriod: 'x' }, lower.get('SAT')!, 25),
    ).toBe(true);
  });
});
