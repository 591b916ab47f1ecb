/**
 * Plan quality checks drawn from the descriptors of 5.1.2 (co-ordinated, robust, deliverable plans) and
 * 5.1.3: every action has an owner, a due date and a measure with a target; milestones fall before the due
 * date; targets are better than the baseline in the indicator's polarity, and challenging: better than the
 * organisation's current quartile or than its comparator group's median. Plain-language flags with counts,
 * shown on the plan and never blocking a save. Pure: no I/O.
 */
import type { IndicatorMeasure, Milestone } from './improvement.tables.js';

export interface CheckedAction {
  ownerId: string | null;
  dueDate: string | null;
  milestones: Milestone[];
  measures: IndicatorMeasure[];
}

export interface CheckedAim {
  actions: CheckedAction[];
}

/** Which way is better for an indicator: up, down, or towards its own target. */
export type Polarity = { polarity: 'higher' | 'lower' } | { polarity: 'target'; target: number };

export interface QualityFlag {
  code: string;
  message: string;
  count: number;
}

/** Is the target better than the baseline? Unknown indicators are not judged here (the save refuses them). */
export function improves(measure: IndicatorMeasure, polarity: Polarity): boolean {
  switch (polarity.polarity) {
    case 'higher':
      return measure.target > measure.baseline;
    case 'lower':
      return measure.target < measure.baseline;
    case 'target':
      return Math.abs(measure.target - polarity.target) < Math.abs(measure.baseline - polarity.target);
  }
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/**
 * What a target is set against: the organisation's latest national standing in the indicator (its quartile,
 * 1 the best quarter … 4, and the quartiles' values) and the median of its comparator group in that period.
 * Either is null where the indicators have no figure for it.
 */
export interface Benchmark {
  national: { quartile: number; q1: number; median: number; q3: number } | null;
  groupMedian: number | null;
}

/**
 * The value a target must reach to lift the organisation out of its current quartile: the edge of the next
 * better one, or of the top quarter for an organisation already in it (to stay there). Quartiles of values
 * say nothing of the distance to an indicator's own target, so a target-polarity indicator has none.
 */
export function nextQuartileEdge(polarity: Polarity, national: NonNullable<Benchmark['national']>): number | null {
  const { q1, median, q3, quartile } = national;
  if (polarity.polarity === 'target') return null;
  const edges = polarity.polarity === 'higher' ? [q3, q3, median, q1] : [q1, q1, median, q3];
  return edges[Math.min(Math.max(quartile, 1), 4) - 1]!;
}

/** Is the target better than the median (of the comparator group), in the indicator's polarity? */
export function beatsMedian(measure: IndicatorMeasure, polarity: Polarity, median: number): boolean {
  switch (polarity.polarity) {
    case 'higher':
      return measure.target > median;
    case 'lower':
      return measure.target < median;
    case 'target':
      return Math.abs(measure.target - polarity.target) < Math.abs(median - polarity.target);
  }
}

/**
 * Is the target challenging (5.1.2): better than the organisation's current quartile, or than its
 * comparator group's median? Undefined when neither can be judged (no figures for the indicator).
 */
export function isChallenging(
  measure: IndicatorMeasure,
  polarity: Polarity,
  benchmark: Benchmark,
): boolean | undefined {
  const edge = benchmark.national ? nextQuartileEdge(polarity, benchmark.national) : null;
  const liftsQuartile =
    edge === null ? undefined : polarity.polarity === 'higher' ? measure.target >= edge : measure.target <= edge;
  const beatsGroup = benchmark.groupMedian === null ? undefined : beatsMedian(measure, polarity, benchmark.groupMedian);
  if (liftsQuartile === undefined && beatsGroup === undefined) return undefined;
  return liftsQuartile === true || beatsGroup === true;
}

/** The flags that apply, in a fixed order; an empty list means every check passed. */
export function planQualityFlags(
  aims: CheckedAim[],
  polarities: ReadonlyMap<string, Polarity>,
  benchmarks: ReadonlyMap<string, Benchmark> = new Map(),
): QualityFlag[] {
  const actions = aims.flatMap((aim) => aim.actions);
  const measures = actions.flatMap((a) => a.measures);
  const counts = {
    aimWithoutActions: aims.filter((aim) => aim.actions.length === 0).length,
    noOwner: actions.filter((a) => a.ownerId === null).length,
    noDueDate: actions.filter((a) => a.dueDate === null).length,
    noMeasure: actions.filter((a) => a.measures.length === 0).length,
    milestoneNotBeforeDue: actions
      .flatMap((a) => a.milestones.map((m) => ({ due: a.dueDate, date: m.date })))
      .filter((m) => m.due !== null && m.date >= m.due).length,
    targetNotBetter: measures.filter((m) => {
      const polarity = polarities.get(m.indicatorCode);
      return polarity !== undefined && !improves(m, polarity);
    }).length,
    targetNotChallenging: measures.filter((m) => {
      const polarity = polarities.get(m.indicatorCode);
      const benchmark = benchmarks.get(m.indicatorCode);
      return polarity !== undefined && benchmark !== undefined && isChallenging(m, polarity, benchmark) === false;
    }).length,
  };
  const flags: QualityFlag[] = [
    {
      code: 'aim_without_actions',
      count: counts.aimWithoutActions,
      message: plural(counts.aimWithoutActions, 'aim has no actions', 'aims have no actions'),
    },
    {
      code: 'action_without_owner',
      count: counts.noOwner,
      message: plural(counts.noOwner, 'action has no owner', 'actions have no owner'),
    },
    {
      code: 'action_without_due_date',
      count: counts.noDueDate,
      message: plural(counts.noDueDate, 'action has no due date', 'actions have no due date'),
    },
    {
      code: 'action_without_measure',
      count: counts.noMeasure,
      message: plural(counts.noMeasure, 'action has no indicator and target', 'actions have no indicator and target'),
    },
    {
      code: 'milestone_not_before_due_date',
      count: counts.milestoneNotBeforeDue,
      message: plural(
        counts.milestoneNotBeforeDue,
        'milestone falls on its action’s due date, not before it',
        'milestones fall on their action’s due date, not before it',
      ),
    },
    {
      code: 'target_not_better_than_baseline',
      count: counts.targetNotBetter,
      message: plural(
        counts.targetNotBetter,
        'target is no better than its baseline',
        'targets are no better than their baseline',
      ),
    },
    {
      code: 'target_not_challenging',
      count: counts.targetNotChallenging,
      message: plural(
        counts.targetNotChallenging,
        'target would neither lift the organisation out of its current quartile nor beat its comparator group’s median',
        'targets would neither lift the organisation out of its current quartile nor beat its comparator group’s median',
      ),
    },
  ];
  return flags.filter((flag) => flag.count > 0);
}
