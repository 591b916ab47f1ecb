/**
 * The executive summary of an assessment's report: read by whoever may see the assessment, written by its
 * lead until it is published (empty text removes it), each change audited in the same transaction.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { loadFor, resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import { assessmentPublished } from '../assessments/index.js';
import { may, type AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import type { ExecutiveSummaryInput } from './executive-summary.schemas.js';
import { reportSummaries } from './reports.tables.js';

/** The stored summary's text, or null; no access check (callers have made it). */
export async function findExecutiveSummary(db: Database, assessmentId: string) {
  const [row] = await db.select().from(reportSummaries).where(eq(reportSummaries.assessmentId, assessmentId));
  return row ?? null;
}

export function createExecutiveSummaryService(deps: { db: Database }) {
  const { db } = deps;
  const view = (row: Awaited<ReturnType<typeof findExecutiveSummary>>) => ({
    text: row?.text ?? '',
    updatedAt: row?.updatedAt.toISOString() ?? null,
  });

  return {
    /** The summary, and whether the actor may write it now (the lead, before publication). */
    async get(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment, teamRole } = await resolveAssessment(db, actor, assessmentRef);
      return {
        ...view(await findExecutiveSummary(db, assessment.id)),
        writable: assessment.status !== 'published' && may(actor, 'lead', assessment, teamRole),
      };
    },

    async save(actor: AssessmentActor, assessmentId: string, input: ExecutiveSummaryInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'lead');
        if (assessment.status === 'published') throw assessmentPublished();
        const before = await findExecutiveSummary(tx, assessmentId);
        const updatedBy = actor.kind === 'user' ? actor.userId : null;
        let after: typeof before = null;
        if (input.text) {
          const [saved] = await tx
            .insert(reportSummaries)
            .values({ assessmentId, text: input.text, updatedBy })
            .onConflictDoUpdate({
              target: reportSummaries.assessmentId,
              set: { text: input.text, updatedBy, updatedAt: new Date() },
            })
            .returning();
          after = saved ?? null;
        } else {
          await tx.delete(reportSummaries).where(eq(reportSummaries.assessmentId, assessmentId));
        }
        await recordAudit(tx, {
          actor,
          action: 'report.executive_summary_saved',
          entityType: 'assessment',
          entityId: assessmentId,
          before: { executiveSummary: before?.text ?? null },
          after: { executiveSummary: after?.text ?? null },
        });
        return view(after);
      });
    },
  };
}

export type ExecutiveSummaryService = ReturnType<typeof createExecutiveSummaryService>;
