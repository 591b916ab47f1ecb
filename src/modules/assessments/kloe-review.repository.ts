/** Queries of KLOE assignments and review states. */
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { assessments, assessmentTeam } from './assessments.tables.js';
import { kloeAssignments, type ReviewState } from './kloe-review.tables.js';

export type AssignmentRow = typeof kloeAssignments.$inferSelect;

export async function listAssignments(db: Database, assessmentId: string): Promise<AssignmentRow[]> {
  return db.select().from(kloeAssignments).where(eq(kloeAssignments.assessmentId, assessmentId));
}

export async function findAssignment(db: Database, assessmentId: string, kloeRef: string, forUpdate = false) {
  const query = db
    .select()
    .from(kloeAssignments)
    .where(and(eq(kloeAssignments.assessmentId, assessmentId), eq(kloeAssignments.kloeRef, kloeRef)));
  const [row] = await (forUpdate ? query.for('update') : query);
  return row;
}

/** Writes the KLOE's row (making it when it has none) and returns it. */
export async function saveAssignment(
  db: Database,
  key: { assessmentId: string; kloeRef: string },
  values: Partial<Omit<AssignmentRow, 'assessmentId' | 'kloeRef' | 'version' | 'updatedAt'>>,
): Promise<AssignmentRow> {
  const [row] = await db
    .insert(kloeAssignments)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [kloeAssignments.assessmentId, kloeAssignments.kloeRef],
      set: { ...values, version: sql`${kloeAssignments.version} + 1`, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function isReviewed(db: Database, assessmentId: string, kloeRef: string): Promise<boolean> {
  const row = await findAssignment(db, assessmentId, kloeRef);
  return row?.state === 'reviewed';
}

/** The names of the people given, by id. */
export async function namesOf(db: Database, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The organisation's members (not its viewers, nor those disabled): who may contribute to its own assessments. */
export async function organisationMembers(db: Database, organisationId: string) {
  return db
    .select({ userId: users.id, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.organisationId, organisationId),
        eq(users.role, 'organisation_member'),
        sql`${users.disabledAt} is null`,
      ),
    )
    .orderBy(asc(users.name));
}

const assessmentColumns = {
  assessmentId: assessments.id,
  title: assessments.title,
  status: assessments.status,
  kloeRef: kloeAssignments.kloeRef,
  state: kloeAssignments.state,
  dueOn: kloeAssignments.dueOn,
};

/**
 * The open KLOEs a person holds (assigned and not yet reviewed) and those waiting for their review (they are
 * the named reviewer, or lead an assessment whose KLOE has no named reviewer), of assessments not published.
 */
export async function workOf(db: Database, userId: string) {
  const lead = alias(assessmentTeam, 'lead');
  const open = ne(assessments.status, 'published');
  const [assigned, toReview] = await Promise.all([
    db
      .select(assessmentColumns)
      .from(kloeAssignments)
      .innerJoin(assessments, eq(assessments.id, kloeAssignments.assessmentId))
      .where(and(open, eq(kloeAssignments.assigneeId, userId), ne(kloeAssignments.state, 'reviewed' as ReviewState)))
      .orderBy(sql`${kloeAssignments.dueOn} asc nulls last`, asc(assessments.title), asc(kloeAssignments.kloeRef)),
    db
      .select(assessmentColumns)
      .from(kloeAssignments)
      .innerJoin(assessments, eq(assessments.id, kloeAssignments.assessmentId))
      .leftJoin(lead, and(eq(lead.assessmentId, assessments.id), eq(lead.role, 'lead'), eq(lead.userId, userId)))
      .where(
        and(
          open,
          eq(kloeAssignments.state, 'ready_for_review'),
          or(
            eq(kloeAssignments.reviewerId, userId),
            and(sql`${kloeAssignments.reviewerId} is null`, sql`${lead.userId} is not null`),
          ),
        ),
      )
      .orderBy(asc(assessments.title), asc(kloeAssignments.kloeRef)),
  ]);
  return { assigned, toReview };
}
