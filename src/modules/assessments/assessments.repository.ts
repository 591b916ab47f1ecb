/**
 * Data access for the assessment rows themselves: listing and finding them within a scope, inserting and
 * updating them, their revisions, and copying one as its next revision.
 */
import { and, asc, desc, eq, inArray, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { frameworkVersions } from '../../db/schema.js';
import { organisations, services } from '../../db/schema.js';
import type { AssessmentScope } from './assessments.policy.js';
import type { ListAssessmentsQuery } from './assessments.schemas.js';
import { assessments, assessmentTeam, type TeamRole } from './assessments.tables.js';
import { copyRecommendations } from './recommendations.repository.js';

export type AssessmentRow = typeof assessments.$inferSelect;
export type NewAssessment = typeof assessments.$inferInsert;

/** The policy's scope as a condition on assessments (see assessments.policy.ts for the rules). */
export function withinScope(scope: AssessmentScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'inspector':
      return or(
        sql`exists (select 1 from ${assessmentTeam} where ${assessmentTeam.assessmentId} = ${assessments.id} and ${assessmentTeam.userId} = ${scope.userId})`,
        and(eq(assessments.kind, 'self_assessment'), eq(assessments.status, 'published')),
      );
    case 'organisation':
      return and(
        eq(assessments.organisationId, scope.organisationId),
        or(ne(assessments.kind, 'inspection'), eq(assessments.sharedWithOrganisation, true)),
      );
    case 'none':
      return sql`false`;
  }
}

const summaryColumns = {
  assessment: assessments,
  organisationName: organisations.name,
  serviceName: services.name,
  frameworkId: frameworkVersions.frameworkId,
  frameworkVersion: frameworkVersions.version,
};

/** An assessment with the names a page or export shows beside it. */
export type AssessmentSummary = {
  assessment: AssessmentRow;
  organisationName: string;
  serviceName: string;
  frameworkId: string;
  frameworkVersion: number;
};

function summaries(db: Database) {
  return db
    .select(summaryColumns)
    .from(assessments)
    .innerJoin(organisations, eq(organisations.id, assessments.organisationId))
    .innerJoin(services, eq(services.id, assessments.serviceId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId));
}

export async function listAssessments(
  db: Database,
  scope: AssessmentScope,
  filters: ListAssessmentsQuery,
): Promise<{ rows: AssessmentSummary[]; total: number }> {
  const where = and(
    withinScope(scope),
    filters.organisationId ? eq(assessments.organisationId, filters.organisationId) : undefined,
    filters.serviceId ? eq(assessments.serviceId, filters.serviceId) : undefined,
    filters.kind ? eq(assessments.kind, filters.kind) : undefined,
    filters.status ? eq(assessments.status, filters.status) : undefined,
  );
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(assessments)
    .where(where);
  const rows = await summaries(db)
    .where(where)
    .orderBy(desc(assessments.updatedAt), asc(assessments.id))
    .limit(filters.limit)
    .offset(filters.offset);
  return { rows, total: count?.n ?? 0 };
}

/** Assessments with the names pages show beside them and the user's place on each team (or null). */
function selectWithTeamRole(db: Database, userId: string | Placeholder) {
  const teamRole = sql<TeamRole | null>`(select ${assessmentTeam.role} from ${assessmentTeam} where ${assessmentTeam.assessmentId} = ${assessments.id} and ${assessmentTeam.userId} = ${userId})`;
  return db
    .select({ ...summaryColumns, teamRole })
    .from(assessments)
    .innerJoin(organisations, eq(organisations.id, assessments.organisationId))
    .innerJoin(services, eq(services.id, assessments.serviceId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId));
}

/** A row of selectWithTeamRole with no place on the team as undefined, as callers test it. */
const withTeamRole = <Row extends { teamRole: TeamRole | null }>(row: Row) => ({
  ...row,
  teamRole: row.teamRole ?? undefined,
});

/**
 * The assessment with its names and the person's place on its team, in one round trip (every request
 * about an assessment asks for it, and most pages show the names in their header). `lock`: "update" for
 * changes to the assessment itself (status, team); "share" for changes inside it (findings, ratings), which
 * may run side by side but never alongside a status change.
 */
export async function findAssessmentFor(
  db: Database,
  id: string,
  userId: string | null,
  options: { lock?: 'update' | 'share' } = {},
): Promise<(AssessmentSummary & { teamRole: TeamRole | undefined }) | undefined> {
  const lock = options.lock ?? 'none';
  const name = `assessment_for_${lock}`;
  const query = preparedOnce(db, name, (db) => {
    const select = selectWithTeamRole(db, sql.placeholder('userId')).where(eq(assessments.id, sql.placeholder('id')));
    return (lock === 'none' ? select : select.for(lock, { of: assessments })).prepare(name);
  });
  // No user (the system): no team row matches the empty text.
  const [row] = await query.execute({ id, userId: userId ?? '' });
  return row ? withTeamRole(row) : undefined;
}

/** Several assessments with the person's place on each team, in one query (no lock): those that exist. */
export async function findAssessmentsFor(db: Database, ids: string[], userId: string | null) {
  if (ids.length === 0) return [];
  // No user (the system): no team row matches the empty text.
  const rows = await selectWithTeamRole(db, userId ?? '').where(inArray(assessments.id, ids));
  return rows.map(withTeamRole);
}

/** Every revision of one assessment, newest first. */
export async function listRevisions(db: Database, seriesId: string) {
  return db
    .select({ id: assessments.id, revision: assessments.revision, status: assessments.status })
    .from(assessments)
    .where(eq(assessments.seriesId, seriesId))
    .orderBy(desc(assessments.revision));
}

export async function insertAssessment(db: Database, values: NewAssessment): Promise<AssessmentRow> {
  const [row] = await db.insert(assessments).values(values).returning();
  return row!;
}

/** Changes an assessment's own fields if it is still at `expectedVersion`; undefined when someone got there first. */
export async function updateAssessment(
  db: Database,
  id: string,
  expectedVersion: number,
  values: Partial<NewAssessment>,
): Promise<AssessmentRow | undefined> {
  const [row] = await db
    .update(assessments)
    .set({ ...values, version: sql`${assessments.version} + 1`, updatedAt: new Date() })
    .where(and(eq(assessments.id, id), eq(assessments.version, expectedVersion)))
    .returning();
  return row;
}

/** The other assessments of the same service (latest revision of each), for comparing self-assessment and inspection. */
export async function otherAssessmentsOfService(db: Database, serviceId: string, exceptSeriesId: string) {
  return db
    .select()
    .from(assessments)
    .where(
      and(
        eq(assessments.serviceId, serviceId),
        ne(assessments.seriesId, exceptSeriesId),
        sql`${assessments.revision} = (select max(a2.revision) from ${assessments} a2 where a2.series_id = ${assessments.seriesId})`,
      ),
    )
    .orderBy(desc(assessments.updatedAt));
}

/** Inserts the next revision of an assessment, in fieldwork, carrying over its team, findings and judgements. */
export async function copyAsNextRevision(db: Database, from: AssessmentRow): Promise<AssessmentRow> {
  const { seriesId, organisationId, serviceId, frameworkVersionId, kind, title, scope } = from;
  const { plannedStart, plannedEnd, sharedWithOrganisation, createdBy } = from;
  const kept = {
    ...{ seriesId, organisationId, serviceId, frameworkVersionId, kind, title, scope },
    ...{ plannedStart, plannedEnd, sharedWithOrganisation, createdBy },
  };
  const next = await insertAssessment(db, { ...kept, revision: from.revision + 1, status: 'fieldwork' });
  await db.execute(sql`
    insert into assessment_team (assessment_id, user_id, role)
    select ${next.id}, user_id, role from assessment_team where assessment_id = ${from.id}`);
  await db.execute(sql`
    insert into findings (assessment_id, statement_ref, kloe_ref, outcome, note, updated_by, updated_at)
    select ${next.id}, statement_ref, kloe_ref, outcome, note, updated_by, updated_at from findings where assessment_id = ${from.id}`);
  await db.execute(sql`
    insert into kloe_judgements (assessment_id, kloe_ref, strengths, areas_for_improvement, exceeded, final_rating, rationale, rationale_suggested, updated_by, updated_at)
    select ${next.id}, kloe_ref, strengths, areas_for_improvement, exceeded, final_rating, rationale, rationale_suggested, updated_by, updated_at
    from kloe_judgements where assessment_id = ${from.id}`);
  await db.execute(sql`
    insert into roll_up_judgements (assessment_id, node_ref, final_rating, rationale, rationale_suggested, updated_by, updated_at)
    select ${next.id}, node_ref, final_rating, rationale, rationale_suggested, updated_by, updated_at from roll_up_judgements where assessment_id = ${from.id}`);
  await copyRecommendations(db, from.id, next.id);
  return next;
}
