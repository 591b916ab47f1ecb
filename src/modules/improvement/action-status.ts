/**
 * The suggested status of an action (KLOE 5.2.2: performance management drives and monitors progress): from
 * its dates, its milestones (reached when a progress update says so) and its indicators' latest values
 * against the straight line from baseline to target. Each reason is a plain sentence, so the page can say
 * why as well as what. Pure: no I/O, the date of "today" is given.
 */
import type { ActionStatus, IndicatorMeasure, Milestone } from './improvement.tables.js';
import type { Polarity } from './plan-quality.js';
import { plainDate } from '../../dates.js';

/** The organisation's latest value of an indicator, and the period index the action's target period has. */
export interface MeasureReading {
  latest: { period: string; periodIndex: number; value: number } | undefined;
  /** undefined when the target period cannot be read as a period of the indicator's type. */
  targetPeriodIndex: number | undefined;
  polarity: Polarity;
}

export interface StatusInput {
  startDate: string | null;
  dueDate: string | null;
  milestones: Milestone[];
  measures: IndicatorMeasure[];
  /** Titles of milestones reached, from the action's progress updates. */
  reached: ReadonlySet<string>;
  progressUpdates: number;
  /** Keyed by indicator code. */
  readings: ReadonlyMap<string, MeasureReading>;
  today: string;
}

export interface MeasureProgress {
  indicatorCode: string;
  /** How far from baseline to target the latest value is (1 = reached); undefined with no value. */
  share: number | undefined;
  met: boolean;
  /** The target period has a value and the target was not met. */
  missed: boolean;
}

export interface SuggestedStatus {
  status: ActionStatus;
  reasons: string[];
  measures: MeasureProgress[];
  overdueMilestones: string[];
}

export const STATUS_LABELS: Record<ActionStatus, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
};

/** A milestone this many days late puts the action off track; less late, at risk. */
const LATE_MILESTONE_DAYS = 30;
/** Behind the time line by more than this share of the way from baseline to target: off track. */
const FAR_BEHIND = 0.25;

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;

/** How far the value has come from baseline towards target, in the indicator's polarity (1 = target reached). */
export function shareOfWay(measure: IndicatorMeasure, value: number, polarity: Polarity): number {
  const gap = (v: number) =>
    polarity.polarity === 'target' ? -Math.abs(v - polarity.target) : polarity.polarity === 'higher' ? v : -v;
  const whole = gap(measure.target) - gap(measure.baseline);
  if (whole === 0) return gap(value) >= gap(measure.target) ? 1 : 0;
  return (gap(value) - gap(measure.baseline)) / whole;
}

const RANK: Record<ActionStatus, number> = { not_started: 0, done: 0, on_track: 1, at_risk: 2, off_track: 3 };
const worse = (a: ActionStatus, b: ActionStatus) => (RANK[b] > RANK[a] ? b : a);

export function measureProgress(measure: IndicatorMeasure, reading: MeasureReading | undefined): MeasureProgress {
  const latest = reading?.latest;
  if (!reading || !latest) return { indicatorCode: measure.indicatorCode, share: undefined, met: false, missed: false };
  const share = shareOfWay(measure, latest.value, reading.polarity);
  const met = share >= 1;
  const missed = !met && reading.targetPeriodIndex !== undefined && latest.periodIndex >= reading.targetPeriodIndex;
  return { indicatorCode: measure.indicatorCode, share, met, missed };
}

export function suggestStatus(input: StatusInput): SuggestedStatus {
  const reasons: string[] = [];
  const measures = input.measures.map((m) => measureProgress(m, input.readings.get(m.indicatorCode)));
  const overdueMilestones = input.milestones
    .filter((m) => !input.reached.has(m.title) && m.date < input.today)
    .map((m) => m.title);
  const allReached = input.milestones.every((m) => input.reached.has(m.title));
  const result = (status: ActionStatus): SuggestedStatus => ({ status, reasons, measures, overdueMilestones });

  if (input.milestones.length + input.measures.length > 0 && allReached && measures.every((m) => m.met)) {
    reasons.push('Every milestone is reached and every target met.');
    return result('done');
  }
  if (input.startDate && input.startDate > input.today) {
    reasons.push(`It starts on ${plainDate(input.startDate)}.`);
    return result('not_started');
  }
  if (!input.startDate && input.progressUpdates === 0) {
    reasons.push('It has no start date and no progress recorded.');
    return result('not_started');
  }

  let status: ActionStatus = 'on_track';
  if (input.dueDate && input.dueDate < input.today) {
    reasons.push(`It was due on ${plainDate(input.dueDate)}.`);
    status = 'off_track';
  }
  for (const m of input.milestones) {
    if (input.reached.has(m.title) || m.date >= input.today) continue;
    const late = days(m.date, input.today) > LATE_MILESTONE_DAYS;
    reasons.push(
      `Milestone “${m.title}” (${plainDate(m.date)}) is not reached${late ? `, over ${LATE_MILESTONE_DAYS} days late` : ''}.`,
    );
    status = worse(status, late ? 'off_track' : 'at_risk');
  }
  // The share of the time from start to due date that has gone: where the indicator should be by now.
  const elapsed =
    input.startDate && input.dueDate && input.dueDate > input.startDate
      ? Math.min(1, Math.max(0, days(input.startDate, input.today) / days(input.startDate, input.dueDate)))
      : undefined;
  for (const m of measures) {
    if (m.met || m.share === undefined) continue;
    const percent = `${Math.round(m.share * 100)}%`;
    if (m.missed) {
      reasons.push(`${m.indicatorCode} missed its target.`);
      status = worse(status, 'off_track');
    } else if (m.share < 0) {
      reasons.push(`${m.indicatorCode} has moved away from its target since the baseline.`);
      status = worse(status, 'off_track');
    } else if (elapsed !== undefined && m.share < elapsed) {
      const far = m.share < elapsed - FAR_BEHIND;
      reasons.push(
        `${m.indicatorCode} is ${percent} of the way to its target with ${Math.round(elapsed * 100)}% of the time gone.`,
      );
      status = worse(status, far ? 'off_track' : 'at_risk');
    }
  }
  if (status === 'on_track') reasons.push('Milestones and indicators are where the plan needs them by now.');
  return result(status);
}
