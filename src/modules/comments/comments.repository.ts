/** Queries of comment threads and their comments; every one is scoped by its assessment. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { comments, commentThreads, type CommentAudience } from './comments.tables.js';

export type ThreadRow = typeof commentThreads.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;

export async function listThreads(db: Database, assessmentId: string, kloeRef: string, audiences: CommentAudience[]) {
  if (audiences.length === 0) return [];
  const threads = await db
    .select()
    .from(commentThreads)
    .where(
      and(
        eq(commentThreads.assessmentId, assessmentId),
        eq(commentThreads.kloeRef, kloeRef),
        inArray(commentThreads.audience, audiences),
      ),
    )
    .orderBy(asc(commentThreads.createdAt), asc(commentThreads.id));
  if (threads.length === 0) return [];
  const rows = await db
    .select({ comment: comments, authorName: users.name })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(
      inArray(
        comments.threadId,
        threads.map((t) => t.id),
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return threads.map((thread) => ({
    thread,
    comments: rows.filter((r) => r.comment.threadId === thread.id),
  }));
}

export async function findThread(db: Database, assessmentId: string, threadId: string, forUpdate = false) {
  const query = db
    .select()
    .from(commentThreads)
    .where(and(eq(commentThreads.assessmentId, assessmentId), eq(commentThreads.id, threadId)));
  const [row] = await (forUpdate ? query.for('update') : query);
  return row;
}

export async function insertThread(db: Database, values: typeof commentThreads.$inferInsert): Promise<ThreadRow> {
  const [row] = await db.insert(commentThreads).values(values).returning();
  return row!;
}

export async function insertComment(db: Database, values: typeof comments.$inferInsert): Promise<CommentRow> {
  const [row] = await db.insert(comments).values(values).returning();
  return row!;
}

export async function setResolved(db: Database, threadId: string, by: string | null) {
  const [row] = await db
    .update(commentThreads)
    .set(by ? { resolvedBy: by, resolvedAt: sql`now()` } : { resolvedBy: null, resolvedAt: null })
    .where(eq(commentThreads.id, threadId))
    .returning();
  return row!;
}
