/** Queries of the factual accuracy check; take `db` or a transaction. */
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { accuracyChecks, accuracyComments } from './publishing.tables.js';

export type CheckRow = typeof accuracyChecks.$inferSelect;
export type AccuracyCommentRow = typeof accuracyComments.$inferSelect;

export async function findCheck(db: Database, assessmentId: string): Promise<CheckRow | undefined> {
  const [row] = await db.select().from(accuracyChecks).where(eq(accuracyChecks.assessmentId, assessmentId));
  return row;
}

export async function saveCheck(db: Database, values: typeof accuracyChecks.$inferInsert): Promise<CheckRow> {
  const [row] = await db
    .insert(accuracyChecks)
    .values(values)
    .onConflictDoUpdate({
      target: accuracyChecks.assessmentId,
      set: { deadline: values.deadline, message: values.message ?? null },
    })
    .returning();
  return row!;
}

export async function setPublishedDespite(db: Database, assessmentId: string, reason: string) {
  await db
    .update(accuracyChecks)
    .set({ publishedDespite: reason })
    .where(eq(accuracyChecks.assessmentId, assessmentId));
}

/** The comments oldest first, with their author's and answerer's names and emails. */
export async function listComments(db: Database, assessmentId: string) {
  const answerer = alias(users, 'answerer');
  return db
    .select({
      comment: accuracyComments,
      authorName: users.name,
      authorEmail: users.email,
      answeredByName: answerer.name,
      answeredByEmail: answerer.email,
    })
    .from(accuracyComments)
    .innerJoin(users, eq(users.id, accuracyComments.authorId))
    .leftJoin(answerer, eq(answerer.id, accuracyComments.answeredBy))
    .where(eq(accuracyComments.assessmentId, assessmentId))
    .orderBy(asc(accuracyComments.createdAt), asc(accuracyComments.id));
}

export async function findComment(db: Database, assessmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(accuracyComments)
    .where(and(eq(accuracyComments.assessmentId, assessmentId), eq(accuracyComments.id, id)))
    .for('update');
  return row;
}

export async function insertComment(db: Database, values: typeof accuracyComments.$inferInsert) {
  const [row] = await db.insert(accuracyComments).values(values).returning();
  return row!;
}

export async function answerComment(
  db: Database,
  id: string,
  values: Pick<AccuracyCommentRow, 'response' | 'responseText' | 'answeredBy'>,
) {
  const [row] = await db
    .update(accuracyComments)
    .set({ ...values, answeredAt: new Date() })
    .where(eq(accuracyComments.id, id))
    .returning();
  return row!;
}

export async function countUnanswered(db: Database, assessmentId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(accuracyComments)
    .where(and(eq(accuracyComments.assessmentId, assessmentId), isNull(accuracyComments.response)));
  return row?.n ?? 0;
}
