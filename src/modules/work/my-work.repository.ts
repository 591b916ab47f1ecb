/** The queries behind "My work": counts by status, challenges a lead must answer, evidence requests due. */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import type { AssessmentScope } from '../assessments/index.js';
import { withinScope } from '../assessments/index.js';
import { assessments, assessmentTeam, challenges } from '../../db/schema.js';
import { evidenceRequests } from '../../db/schema.js';

/** How many assessments the person may see are in each status, of their latest revisions. */
export async function countByStatus(db: Database, scope: AssessmentScope) {
  return db
    .select({ status: assessments.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(assessments)
    .where(
      and(
        withinScope(scope),
        sql`${assessments.revision} = (select max(r.revision) from assessments r where r.series_id = ${assessments.seriesId})`,
      ),
    )
    .groupBy(assessments.status);
}

/** Open challenges on the assessments the person leads: theirs to resolve. */
export async function challengesToResolve(db: Database, userId: string) {
  return db
    .select({
      assessmentId: assessments.id,
      title: assessments.title,
      targetRef: challenges.targetRef,
      comment: challenges.comment,
      raisedAt: challenges.raisedAt,
      raisedByName: users.name,
    })
    .from(challenges)
    .innerJoin(assessments, eq(assessments.id, challenges.assessmentId))
    .innerJoin(
      assessmentTeam,
      and(
        eq(assessmentTeam.assessmentId, assessments.id),
        eq(assessmentTeam.userId, userId),
        eq(assessmentTeam.role, 'lead'),
      ),
    )
    .innerJoin(users, eq(users.id, challenges.raisedBy))
    .where(and(eq(challenges.status, 'open'), ne(assessments.status, 'published')))
    .orderBy(asc(challenges.raisedAt));
}

const requestColumns = {
  id: evidenceRequests.id,
  assessmentId: assessments.id,
  title: assessments.title,
  what: evidenceRequests.what,
  dueOn: evidenceRequests.dueOn,
};

/** Open requests, due by `until`, of the assessments whose team the person is on. */
export async function teamRequestsDue(db: Database, userId: string, until: string) {
  return db
    .select(requestColumns)
    .from(evidenceRequests)
    .innerJoin(assessments, eq(assessments.id, evidenceRequests.assessmentId))
    .innerJoin(assessmentTeam, and(eq(assessmentTeam.assessmentId, assessments.id), eq(assessmentTeam.userId, userId)))
    .where(
      and(
        eq(evidenceRequests.status, 'open'),
        sql`${evidenceRequests.dueOn} <= ${until}`,
        ne(assessments.status, 'published'),
      ),
    )
    .orderBy(asc(evidenceRequests.dueOn));
}

/** Open requests to the organisation, of the inspections shared with it. */
export async function organisationRequests(db: Database, organisationId: string) {
  return db
    .select(requestColumns)
    .from(evidenceRequests)
    .innerJoin(assessments, eq(assessments.id, evidenceRequests.assessmentId))
    .where(
      and(
        eq(evidenceRequests.status, 'open'),
        eq(assessments.organisationId, organisationId),
        eq(assessments.sharedWithOrganisation, true),
        ne(assessments.status, 'published'),
      ),
    )
    .orderBy(asc(evidenceRequests.dueOn));
}
