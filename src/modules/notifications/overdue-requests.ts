/**
 * Evidence requests past their date and still open: their requester and the assessment's lead are told,
 * once per request (the notification's key), by the scheduled job that marks requests overdue (app.ts).
 */
import { and, eq, lt, or } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { assessments, assessmentTeam } from '../../db/schema.js';
import { evidenceRequests } from '../../db/schema.js';
import type { NotificationInput, Notify } from './notifications.service.js';
import { plainDate, ukDay } from '../../dates.js';

export async function notifyOverdueRequests(db: Database, notify: Notify): Promise<number> {
  const rows = await db
    .select({
      id: evidenceRequests.id,
      what: evidenceRequests.what,
      dueOn: evidenceRequests.dueOn,
      assessmentId: evidenceRequests.assessmentId,
      title: assessments.title,
      requestedBy: evidenceRequests.requestedBy,
      leadId: assessmentTeam.userId,
    })
    .from(evidenceRequests)
    .innerJoin(assessments, eq(assessments.id, evidenceRequests.assessmentId))
    .leftJoin(
      assessmentTeam,
      and(eq(assessmentTeam.assessmentId, evidenceRequests.assessmentId), eq(assessmentTeam.role, 'lead')),
    )
    .where(
      and(
        eq(evidenceRequests.status, 'open'),
        lt(evidenceRequests.dueOn, ukDay()),
        or(
          eq(assessments.status, 'fieldwork'),
          eq(assessments.status, 'planning'),
          eq(assessments.status, 'moderation'),
        ),
      ),
    );
  const items: NotificationInput[] = [];
  for (const r of rows) {
    for (const userId of new Set([r.requestedBy, r.leadId].filter((id): id is string => id !== null))) {
      items.push({
        userId,
        kind: 'request_overdue',
        text: `The evidence request “${r.what.slice(0, 120)}” of ${r.title} was due on ${plainDate(r.dueOn)} and is still unanswered.`,
        href: `/assessments/${r.assessmentId}/evidence/requests`,
        key: `request_overdue:${r.id}`,
      });
    }
  }
  await notify(items);
  return items.length;
}
