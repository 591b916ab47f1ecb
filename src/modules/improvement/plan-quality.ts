/**
 * Plan quality checks drawn from the descriptors of 5.1.2 (co-ordinated, robust, deliverable plans) and
 * 5.1.3: every action has an owner, a due date and a measure with a target; milestones fall before the due
 * date; targets are better than the baseline in the indicator's polarity, and than the median of all providers. Plain-language flags with counts,
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
 * Is the target better than the median of every provider in the latest period (5.1.2: challenging targets)?
 * Against the median: a target below it keeps the service in the bottom half. For an indicator judged against
 * its own target the distance to that target is compared.
 */
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

/** The flags that apply, in a fixed order; an empty list means every check passed. */
export function planQualityFlags(
  aims: CheckedAim[],
  polarities: ReadonlyMap<string, Polarity>,
  medians: ReadonlyMap<string, number> = new Map(),
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
    targetBelowMedian: measures.filter((m) => {
      const polarity = polarities.get(m.indicatorCode);
      const median = medians.get(m.indicatorCode);
      return polarity !== undefined && median !== undefined && !beatsMedian(m, polarity, median);
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
      code: 'target_not_better_than_median',
      count: counts.targetBelowMedian,
      message: plural(
        counts.targetBelowMedian,
        'target is no better than the median of all providers in the latest period',
        'targets are no better than the median of all providers in the latest period',
      ),
    },
  ];
  return flags.filter((flag) => flag.count > 0);
}
