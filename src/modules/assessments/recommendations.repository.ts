/** Queries of recommendations; each takes `db` or a transaction. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { recommendations } from './recommendations.tables.js';

export type RecommendationRow = typeof recommendations.$inferSelect;
export type NewRecommendation = typeof recommendations.$inferInsert;

export function listRecommendations(db: Database, assessmentId: string): Promise<RecommendationRow[]> {
  return db
    .select()
    .from(recommendations)
    .where(eq(recommendations.assessmentId, assessmentId))
    .orderBy(asc(recommendations.position));
}

export async function findRecommendation(db: Database, assessmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(recommendations)
    .where(and(eq(recommendations.assessmentId, assessmentId), eq(recommendations.id, id)));
  return row;
}

/** Appends after the last one. */
export async function insertRecommendation(
  db: Database,
  values: Omit<NewRecommendation, 'position'>,
): Promise<RecommendationRow> {
  const [row] = await db
    .insert(recommendations)
    .values({
      ...values,
      position: sql`(select coalesce(max(position), 0) + 1 from recommendations where assessment_id = ${values.assessmentId})`,
    })
    .returning();
  return row!;
}

/** Compare-and-set on the version read; undefined when someone saved first. */
export async function updateRecommendation(
  db: Database,
  id: string,
  version: number,
  values: Partial<NewRecommendation>,
): Promise<RecommendationRow | undefined> {
  const [row] = await db
    .update(recommendations)
    .set({ ...values, version: version + 1, updatedAt: new Date() })
    .where(and(eq(recommendations.id, id), eq(recommendations.version, version)))
    .returning();
  return row;
}

export async function deleteRecommendation(db: Database, id: string): Promise<void> {
  await db.delete(recommendations).where(eq(recommendations.id, id));
}

/** Carries an assessment's recommendations over to its next revision. */
export async function copyRecommendations(db: Database, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`
    insert into recommendations (assessment_id, position, text, priority, outcome, kloe_refs, areas, updated_by, updated_at)
    select ${toId}, position, text, priority, outcome, kloe_refs, areas, updated_by, updated_at
    from recommendations where assessment_id = ${fromId}`);
}
