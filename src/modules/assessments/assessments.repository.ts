import { and, asc, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { users } from '../../db/schema.js';
import { frameworkVersions } from '../../db/schema.js';
import { organisations, services } from '../../db/schema.js';
import type { AssessmentScope } from './assessments.policy.js';
import type { ListAssessmentsQuery } from './assessments.schemas.js';
import {
  assessments,
  assessmentTeam,
  challenges,
  findings,
  kloeJudgements,
  rollUpJudgements,
  type TeamRole,
} from './assessments.tables.js';
import { copyRecommendations } from './recommendations.repository.js';

export type AssessmentRow = typeof assessments.$inferSelect;
/**
 * A finding as the workspace reads it: without its assessment id (the reader has it) and its author (no page
 * or answer shows it), the two UUIDs that were about half of each row's bytes.
 */
export type FindingRow = Pick<
  typeof findings.$inferSelect,
  'statementRef' | 'kloeRef' | 'outcome' | 'note' | 'updatedAt'
>;
const findingColumns = {
  statementRef: findings.statementRef,
  kloeRef: findings.kloeRef,
  outcome: findings.outcome,
  note: findings.note,
  updatedAt: findings.updatedAt,
};
export type KloeJudgementRow = typeof kloeJudgements.$inferSelect;
export type RollUpRow = typeof rollUpJudgements.$inferSelect;
export type ChallengeRow = typeof challenges.$inferSelect;
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
    const teamRole = sql<TeamRole | null>`(select ${assessmentTeam.role} from ${assessmentTeam} where ${assessmentTeam.assessmentId} = ${assessments.id} and ${assessmentTeam.userId} = ${sql.placeholder('userId')})`;
    const select = db
      .select({ ...summaryColumns, teamRole })
      .from(assessments)
      .innerJoin(organisations, eq(organisations.id, assessments.organisationId))
      .innerJoin(services, eq(services.id, assessments.serviceId))
      .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId))
      .where(eq(assessments.id, sql.placeholder('id')));
    return (lock === 'none' ? select : select.for(lock, { of: assessments })).prepare(name);
  });
  // No user (the system): no team row matches the empty text.
  const [row] = await query.execute({ id, userId: userId ?? '' });
  return row ? { ...row, teamRole: row.teamRole ?? undefined } : undefined;
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

export async function listTeam(db: Database, assessmentId: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: assessmentTeam.role })
    .from(assessmentTeam)
    .innerJoin(users, eq(users.id, assessmentTeam.userId))
    .where(eq(assessmentTeam.assessmentId, assessmentId))
    .orderBy(asc(assessmentTeam.role), asc(users.name));
}
export type TeamMemberRow = Awaited<ReturnType<typeof listTeam>>[number];

export async function teamRoleOf(db: Database, assessmentId: string, userId: string): Promise<TeamRole | undefined> {
  const [row] = await db
    .select({ role: assessmentTeam.role })
    .from(assessmentTeam)
    .where(and(eq(assessmentTeam.assessmentId, assessmentId), eq(assessmentTeam.userId, userId)));
  return row?.role;
}

export async function replaceTeam(
  db: Database,
  assessmentId: string,
  team: { userId: string; role: TeamRole }[],
): Promise<void> {
  await db.delete(assessmentTeam).where(eq(assessmentTeam.assessmentId, assessmentId));
  if (team.length > 0) await db.insert(assessmentTeam).values(team.map((m) => ({ assessmentId, ...m })));
}

export async function findUsers(db: Database, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationId: users.organisationId,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(inArray(users.id, ids));
}

export async function userLabel(db: Database, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [row] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, id));
  return row ? `${row.name} <${row.email}>` : null;
}

/** One KLOE's findings, for a save in progress (the pages read them with their judgement: listKloeWork). */
export async function listFindings(db: Database, assessmentId: string, kloeRef: string): Promise<FindingRow[]> {
  return db
    .select(findingColumns)
    .from(findings)
    .where(and(eq(findings.assessmentId, assessmentId), eq(findings.kloeRef, kloeRef)));
}

export interface KloeWorkRow {
  judgement: KloeJudgementRow;
  findings: FindingRow[];
}

/** A finding inside a KLOE's row: [statementRef, outcome, note, updatedAt as ISO text]. */
type FindingJson = [string, FindingRow['outcome'], string | null, string];

/**
 * Every KLOE judgement of an assessment with its findings, in one query: each page of the workspace reads
 * both, and every query costs a round trip and a write to PostgreSQL's socket as well as its rows.
 * The findings come as JSON arrays, which are parsed natively rather than row by row.
 */
export async function listKloeWork(db: Database, assessmentId: string): Promise<KloeWorkRow[]> {
  const query = preparedOnce(db, 'assessment_kloe_work', (db) =>
    db
      .select({
        judgement: kloeJudgements,
        // Written out with its tables named: Drizzle leaves column names bare in a one-table select, and bare
        // names inside the subquery would all mean the findings' own.
        findings: sql<FindingJson[]>`(
          select coalesce(json_agg(json_build_array(f.statement_ref, f.outcome, f.note, f.updated_at)), '[]')
          from findings f
          where f.assessment_id = kloe_judgements.assessment_id and f.kloe_ref = kloe_judgements.kloe_ref
        )`,
      })
      .from(kloeJudgements)
      .where(eq(kloeJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_kloe_work'),
  );
  const rows = await query.execute({ assessmentId });
  return rows.map(({ judgement, findings }) => ({
    judgement,
    findings: findings.map(([statementRef, outcome, note, updatedAt]) => ({
      statementRef,
      kloeRef: judgement.kloeRef,
      outcome,
      note,
      updatedAt: new Date(updatedAt),
    })),
  }));
}

export async function upsertFindings(db: Database, rows: (typeof findings.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(findings)
    .values(rows)
    .onConflictDoUpdate({
      target: [findings.assessmentId, findings.statementRef],
      set: {
        outcome: sql`excluded.outcome`,
        note: sql`excluded.note`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function insertKloeJudgements(db: Database, assessmentId: string, refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  await db
    .insert(kloeJudgements)
    .values(refs.map((kloeRef) => ({ assessmentId, kloeRef })))
    .onConflictDoNothing();
}

export async function listKloeJudgements(db: Database, assessmentId: string): Promise<KloeJudgementRow[]> {
  const query = preparedOnce(db, 'assessment_kloe_judgements', (db) =>
    db
      .select()
      .from(kloeJudgements)
      .where(eq(kloeJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_kloe_judgements'),
  );
  return query.execute({ assessmentId });
}

export async function findKloeJudgement(db: Database, assessmentId: string, kloeRef: string) {
  const [row] = await db
    .select()
    .from(kloeJudgements)
    .where(and(eq(kloeJudgements.assessmentId, assessmentId), eq(kloeJudgements.kloeRef, kloeRef)));
  return row;
}

/** Takes the KLOE's next version if it is still at `expectedVersion`; undefined when someone saved first. */
export async function updateKloeJudgement(
  db: Database,
  assessmentId: string,
  kloeRef: string,
  expectedVersion: number,
  values: Partial<typeof kloeJudgements.$inferInsert>,
): Promise<KloeJudgementRow | undefined> {
  const [row] = await db
    .update(kloeJudgements)
    .set({ ...values, version: sql`${kloeJudgements.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(kloeJudgements.assessmentId, assessmentId),
        eq(kloeJudgements.kloeRef, kloeRef),
        eq(kloeJudgements.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function insertRollUps(db: Database, assessmentId: string, nodeRefs: string[]): Promise<void> {
  if (nodeRefs.length === 0) return;
  await db
    .insert(rollUpJudgements)
    .values(nodeRefs.map((nodeRef) => ({ assessmentId, nodeRef })))
    .onConflictDoNothing();
}

export async function listRollUps(db: Database, assessmentId: string): Promise<RollUpRow[]> {
  const query = preparedOnce(db, 'assessment_roll_ups', (db) =>
    db
      .select()
      .from(rollUpJudgements)
      .where(eq(rollUpJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_roll_ups'),
  );
  return query.execute({ assessmentId });
}

export async function updateRollUp(
  db: Database,
  assessmentId: string,
  nodeRef: string,
  expectedVersion: number,
  values: Partial<typeof rollUpJudgements.$inferInsert>,
): Promise<RollUpRow | undefined> {
  const [row] = await db
    .update(rollUpJudgements)
    .set({ ...values, version: sql`${rollUpJudgements.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(rollUpJudgements.assessmentId, assessmentId),
        eq(rollUpJudgements.nodeRef, nodeRef),
        eq(rollUpJudgements.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

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
