/**
 * Queries behind actions' progress and status: progress updates, comments, the indicator readings a status
 * is judged on, and the evidence items an update may rest on. Each takes `db` or a transaction.
 */
import { and, asc, desc, eq, inArray, isNotNull, ne, or } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { assessments } from '../../db/schema.js';
import { evidenceItems } from '../../db/schema.js';
import { indicatorDefinitions, indicatorValues } from '../../db/schema.js';
import { improvementComments, improvementProgressUpdates } from './improvement.tables.js';

export type ProgressRow = typeof improvementProgressUpdates.$inferSelect;
export type ProgressWithAuthor = ProgressRow & { authorName: string | null };
export type CommentRow = typeof improvementComments.$inferSelect;

export async function listProgress(db: Database, actionIds: string[]): Promise<ProgressWithAuthor[]> {
  if (actionIds.length === 0) return [];
  const rows = await db
    .select({ update: improvementProgressUpdates, authorName: users.name })
    .from(improvementProgressUpdates)
    .leftJoin(users, eq(users.id, improvementProgressUpdates.createdBy))
    .where(inArray(improvementProgressUpdates.actionId, actionIds))
    .orderBy(desc(improvementProgressUpdates.recordedOn), desc(improvementProgressUpdates.createdAt));
  return rows.map((r) => ({ ...r.update, authorName: r.authorName }));
}

export async function insertProgress(
  db: Database,
  fields: Omit<ProgressRow, 'id' | 'createdAt'>,
): Promise<ProgressRow> {
  const [row] = await db.insert(improvementProgressUpdates).values(fields).returning();
  return row!;
}

export async function listComments(db: Database, planId: string) {
  return db
    .select({ comment: improvementComments, authorName: users.name, authorRole: users.role })
    .from(improvementComments)
    .leftJoin(users, eq(users.id, improvementComments.authorId))
    .where(eq(improvementComments.planId, planId))
    .orderBy(asc(improvementComments.createdAt));
}

export async function insertComment(db: Database, fields: Omit<CommentRow, 'id' | 'createdAt'>): Promise<CommentRow> {
  const [row] = await db.insert(improvementComments).values(fields).returning();
  return row!;
}

/** One organisation's values of these indicators, oldest period first, with what judging them needs. */
export async function readingsOf(db: Database, organisationIds: string[], codes: string[]) {
  if (organisationIds.length === 0 || codes.length === 0) return [];
  return db
    .select({
      organisationId: indicatorValues.organisationId,
      code: indicatorDefinitions.code,
      periodType: indicatorDefinitions.periodType,
      polarity: indicatorDefinitions.polarity,
      target: indicatorDefinitions.target,
      period: indicatorValues.period,
      periodIndex: indicatorValues.periodIndex,
      value: indicatorValues.value,
    })
    .from(indicatorValues)
    .innerJoin(indicatorDefinitions, eq(indicatorDefinitions.id, indicatorValues.indicatorId))
    .where(
      and(
        inArray(indicatorValues.organisationId, organisationIds),
        inArray(indicatorDefinitions.code, codes),
        isNotNull(indicatorValues.value),
      ),
    )
    .orderBy(asc(indicatorValues.periodIndex));
}

/**
 * Evidence items a progress update of the service's plan may rest on: those of its assessments the
 * organisation sees (its own, and inspections shared with it); all of them, or only these ids.
 */
export async function evidenceOfService(db: Database, serviceId: string, ids?: string[]) {
  if (ids?.length === 0) return [];
  return db
    .select({
      id: evidenceItems.id,
      title: evidenceItems.title,
      assessmentId: assessments.id,
      assessmentTitle: assessments.title,
    })
    .from(evidenceItems)
    .innerJoin(assessments, eq(assessments.id, evidenceItems.assessmentId))
    .where(
      and(
        eq(assessments.serviceId, serviceId),
        ids ? inArray(evidenceItems.id, ids) : undefined,
        or(ne(assessments.kind, 'inspection'), eq(assessments.sharedWithOrganisation, true)),
      ),
    )
    .orderBy(asc(assessments.title), asc(evidenceItems.title))
    .limit(500);
}
