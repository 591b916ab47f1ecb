import { describe, expect, it } from 'vitest';
import { shareOfWay, suggestStatus, type MeasureReading, type StatusInput } from './action-status.js';

const measure = { indicatorCode: 'SAT', baseline: 60, target: 80, targetPeriod: '2027/28' };
const reading = (value: number, periodIndex = 2026, polarity: MeasureReading['polarity'] = { polarity: 'higher' }) => ({
  latest: { period: `${periodIndex}`, periodIndex, value },
  targetPeriodIndex: 2027,
  polarity,
});
const input = (over: Partial<StatusInput> = {}): StatusInput => ({
  startDate: '2026-01-01',
  dueDate: '2027-01-01',
  milestones: [],
  measures: [measure],
  reached: new Set(),
  progressUpdates: 1,
  readings: new Map([['SAT', reading(72)]]),
  today: '2026-07-02',
  ...over,
});

describe('shareOfWay', () => {
  it('measures the way from baseline to target in each polarity', () => {
    expect(shareOfWay(measure, 70, { polarity: 'higher' })).toBe(0.5);
    expect(shareOfWay({ ...measure, baseline: 20, target: 10 }, 15, { polarity: 'lower' })).toBe(0.5);
    expect(shareOfWay({ ...measure, baseline: 50, target: 95 }, 110, { polarity: 'target', target: 100 })).toBeCloseTo(
      40 / 45,
    );
    expect(shareOfWay(measure, 50, { polarity: 'higher' })).toBe(-0.5);
  });
});

describe('suggestStatus', () => {
  it('is on track when the indicator is ahead of the time line', () => {
    // 12 of 20 points (60%) with half the year gone
    expect(suggestStatus(input()).status).toBe('on_track');
  });

  it('is at risk just behind the time line, off track far behind it', () => {
    const behind = suggestStatus(input({ readings: new Map([['SAT', reading(68)]]) })); // 40% at 50%
    expect(behind.status).toBe('at_risk');
    expect(behind.reasons.join(' ')).toMatch(/SAT is 40% of the way to its target with 50% of the time gone/);
    expect(suggestStatus(input({ readings: new Map([['SAT', reading(64)]]) })).status).toBe('off_track'); // 20%
  });

  it('is off track when the indicator moved away from the target, or missed it in the target period', () => {
    expect(suggestStatus(input({ readings: new Map([['SAT', reading(55)]]) })).status).toBe('off_track');
    const missed = suggestStatus(input({ today: '2026-02-01', readings: new Map([['SAT', reading(75, 2027)]]) }));
    expect(missed.status).toBe('off_track');
    expect(missed.measures[0]).toMatchObject({ missed: true, met: false });
  });

  it('is not started before its start date, or with neither start date nor progress', () => {
    expect(suggestStatus(input({ startDate: '2026-09-01' })).status).toBe('not_started');
    expect(suggestStatus(input({ startDate: null, progressUpdates: 0 })).status).toBe('not_started');
  });

  it('is off track once overdue', () => {
    const overdue = suggestStatus(input({ today: '2027-01-02', readings: new Map([['SAT', reading(79)]]) }));
    expect(overdue.status).toBe('off_track');
    expect(overdue.reasons[0]).toBe('It was due on 1 January 2027.');
  });

  it('puts a late milestone at risk, a month late off track, and a reached one neither', () => {
    const milestone = { title: 'Survey live', date: '2026-06-20' };
    expect(suggestStatus(input({ milestones: [milestone] })).status).toBe('at_risk');
    expect(suggestStatus(input({ milestones: [{ ...milestone, date: '2026-05-01' }] })).status).toBe('off_track');
    const reached = suggestStatus(input({ milestones: [milestone], reached: new Set(['Survey live']) }));
    expect(reached.status).toBe('on_track');
    expect(reached.overdueMilestones).toEqual([]);
  });

  it('suggests done when every milestone is reached and every target met', () => {
    const done = suggestStatus(
      input({
        milestones: [{ title: 'Survey live', date: '2026-06-20' }],
        reached: new Set(['Survey live']),
        readings: new Map([['SAT', reading(81)]]),
      }),
    );
    expect(done.status).toBe('done');
    expect(suggestStatus(input({ measures: [], readings: new Map() })).status).toBe('on_track');
  });
});
