/** Data access for the challenges raised against an assessment's ratings in moderation, and their resolution. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { users } from '../../db/schema.js';
import { challenges } from './assessments.tables.js';

export type ChallengeRow = typeof challenges.$inferSelect;

export async function listChallenges(db: Database, assessmentId: string) {
  const query = preparedOnce(db, 'assessment_challenges', (db) =>
    db
      .select({ challenge: challenges, raisedByName: users.name })
      .from(challenges)
      .innerJoin(users, eq(users.id, challenges.raisedBy))
      .where(eq(challenges.assessmentId, sql.placeholder('assessmentId')))
      .orderBy(asc(challenges.raisedAt))
      .prepare('assessment_challenges'),
  );
  return query.execute({ assessmentId });
}

export async function countOpenChallenges(db: Database, assessmentId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(challenges)
    .where(and(eq(challenges.assessmentId, assessmentId), eq(challenges.status, 'open')));
  return row?.n ?? 0;
}

export async function insertChallenge(db: Database, values: typeof challenges.$inferInsert): Promise<ChallengeRow> {
  const [row] = await db.insert(challenges).values(values).returning();
  return row!;
}

export async function findChallenge(
  db: Database,
  assessmentId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select()
    .from(challenges)
    .where(and(eq(challenges.assessmentId, assessmentId), eq(challenges.id, id)));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row;
}

/** Scoped by the assessment: a challenge id of another assessment matches nothing (undefined). */
export async function resolveChallenge(
  db: Database,
  challenge: { assessmentId: string; id: string },
  values: Pick<ChallengeRow, 'status' | 'resolution' | 'resolvedBy'>,
): Promise<ChallengeRow | undefined> {
  const [row] = await db
    .update(challenges)
    .set({ ...values, resolvedAt: new Date() })
    .where(and(eq(challenges.assessmentId, challenge.assessmentId), eq(challenges.id, challenge.id)))
    .returning();
  return row;
}
