/**
 * The status of each of a set of actions, as the plan page, the monitoring page and the exports show it:
 * the suggestion (action-status.ts) from the actions' progress updates and their organisations' latest
 * indicator values, and the status a person set against it with their reason.
 */
import type { Database } from '../../db/database.js';
import { parsePeriod } from '../indicators/index.js';
import { STATUS_LABELS, suggestStatus, type MeasureReading, type SuggestedStatus } from './action-status.js';
import type { ActionRow } from './improvement.repository.js';
import type { ActionStatus } from './improvement.tables.js';
import type { Polarity } from './plan-quality.js';
import * as progressRepo from './progress.repository.js';

export interface ActionStatusView {
  status: ActionStatus;
  label: string;
  suggested: ActionStatus;
  reasons: string[];
  override: { status: ActionStatus; reason: string } | null;
  detail: SuggestedStatus;
}

export const polarityOf = (row: { polarity: 'higher' | 'lower' | 'target'; target: number | null }): Polarity =>
  row.polarity === 'target' ? { polarity: 'target', target: row.target ?? 0 } : { polarity: row.polarity };

export type Reading = Awaited<ReturnType<typeof progressRepo.readingsOf>>[number];

/** The latest value of each organisation's indicator, keyed "organisation|code", and each code's definition. */
export function latestReadings(rows: Reading[]) {
  const latest = new Map<string, Reading>();
  for (const row of rows) latest.set(`${row.organisationId}|${row.code}`, row); // oldest first: the last wins
  return latest;
}

/**
 * Statuses of actions keyed by action id; each action carries the organisation whose indicators measure it.
 */
export async function actionStatuses(
  db: Database,
  actions: (ActionRow & { organisationId: string })[],
  today: string,
): Promise<Map<string, ActionStatusView>> {
  const progress = await progressRepo.listProgress(
    db,
    actions.map((a) => a.id),
  );
  const codes = [...new Set(actions.flatMap((a) => a.measures.map((m) => m.indicatorCode)))];
  const organisations = [...new Set(actions.map((a) => a.organisationId))];
  const latest = latestReadings(await progressRepo.readingsOf(db, organisations, codes));
  const out = new Map<string, ActionStatusView>();
  for (const action of actions) {
    const updates = progress.filter((p) => p.actionId === action.id);
    const readings = new Map<string, MeasureReading>();
    for (const m of action.measures) {
      const row = latest.get(`${action.organisationId}|${m.indicatorCode}`);
      if (!row || row.value === null) continue;
      readings.set(m.indicatorCode, {
        latest: { period: row.period, periodIndex: row.periodIndex, value: row.value },
        targetPeriodIndex: parsePeriod(m.targetPeriod, row.periodType)?.index,
        polarity: polarityOf(row),
      });
    }
    const detail = suggestStatus({
      ...action,
      reached: new Set(updates.flatMap((u) => u.milestonesReached)),
      progressUpdates: updates.length,
      readings,
      today,
    });
    const override =
      action.statusOverride && action.statusReason !== null
        ? { status: action.statusOverride, reason: action.statusReason }
        : null;
    const status = override?.status ?? detail.status;
    out.set(action.id, {
      status,
      label: STATUS_LABELS[status],
      suggested: detail.status,
      reasons: detail.reasons,
      override,
      detail,
    });
  }
  return out;
}
