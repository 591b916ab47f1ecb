/** Queries of public reports; take `db` or a transaction. Only published assessments are ever read as public. */
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { assessments, assessmentTeam, rollUpJudgements } from '../../db/schema.js';
import { frameworkVersions } from '../../db/schema.js';
import { organisations, services } from '../../db/schema.js';
import { reportSummaries } from '../../db/schema.js';
import { publicReports } from './publishing.tables.js';

export type PublicReportRow = typeof publicReports.$inferSelect;

const columns = {
  id: assessments.id,
  title: assessments.title,
  revision: assessments.revision,
  publishedAt: assessments.publishedAt,
  frameworkVersionId: assessments.frameworkVersionId,
  frameworkId: frameworkVersions.frameworkId,
  frameworkVersion: frameworkVersions.version,
  organisationCode: organisations.code,
  organisationName: organisations.name,
  serviceId: services.id,
  serviceName: services.name,
  madePublicAt: publicReports.madePublicAt,
  withdrawnAt: publicReports.withdrawnAt,
  withdrawalNotice: publicReports.withdrawalNotice,
};

/** Public reports joined to what their pages show, published ones only. */
function base(db: Database) {
  return db
    .select(columns)
    .from(publicReports)
    .innerJoin(assessments, eq(assessments.id, publicReports.assessmentId))
    .innerJoin(organisations, eq(organisations.id, assessments.organisationId))
    .innerJoin(services, eq(services.id, assessments.serviceId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId))
    .$dynamic();
}
export type PublicListing = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

const publishedOnly = eq(assessments.status, 'published');

/** One public report (withdrawn or not); undefined when it was never made public or is not published. */
export async function findPublic(db: Database, id: string): Promise<PublicListing | undefined> {
  const [row] = await base(db).where(and(eq(publicReports.assessmentId, id), publishedOnly));
  return row;
}

/** The reports that are public now, newest first, narrowed by organisation (name or code) and overall rating. */
export async function listPublic(db: Database, filter: { organisation?: string; rating?: string } = {}) {
  const conditions = [publishedOnly, isNull(publicReports.withdrawnAt)];
  if (filter.organisation) {
    const like = `%${filter.organisation.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(organisations.name, like), ilike(organisations.code, like))!);
  }
  if (filter.rating) {
    conditions.push(
      sql`exists (select 1 from ${rollUpJudgements} r where r.assessment_id = ${assessments.id} and r.node_ref = 'overall' and r.final_rating = ${filter.rating})`,
    );
  }
  return base(db)
    .where(and(...conditions))
    .orderBy(desc(assessments.publishedAt), asc(organisations.name), asc(services.name));
}

/** The final ratings (key questions and "overall") of some assessments. */
export async function ratingsOf(db: Database, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      assessmentId: rollUpJudgements.assessmentId,
      nodeRef: rollUpJudgements.nodeRef,
      finalRating: rollUpJudgements.finalRating,
    })
    .from(rollUpJudgements)
    .where(inArray(rollUpJudgements.assessmentId, ids));
}

/** The lead inspector's name: the one person a public report names. */
export async function leadName(db: Database, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ name: users.name })
    .from(assessmentTeam)
    .innerJoin(users, eq(users.id, assessmentTeam.userId))
    .where(and(eq(assessmentTeam.assessmentId, id), eq(assessmentTeam.role, 'lead')));
  return row?.name;
}

export async function executiveSummaryText(db: Database, id: string): Promise<string | null> {
  const [row] = await db
    .select({ text: reportSummaries.text })
    .from(reportSummaries)
    .where(eq(reportSummaries.assessmentId, id));
  return row?.text ?? null;
}

export async function findRow(db: Database, id: string): Promise<PublicReportRow | undefined> {
  const [row] = await db.select().from(publicReports).where(eq(publicReports.assessmentId, id));
  return row;
}

export async function makePublic(db: Database, id: string, userId: string | null): Promise<PublicReportRow> {
  const [row] = await db
    .insert(publicReports)
    .values({ assessmentId: id, madePublicBy: userId })
    .onConflictDoUpdate({
      target: publicReports.assessmentId,
      set: {
        madePublicBy: userId,
        madePublicAt: new Date(),
        withdrawnAt: null,
        withdrawnBy: null,
        withdrawalNotice: null,
      },
    })
    .returning();
  return row!;
}

export async function withdraw(db: Database, id: string, userId: string | null, notice: string) {
  const [row] = await db
    .update(publicReports)
    .set({ withdrawnAt: new Date(), withdrawnBy: userId, withdrawalNotice: notice })
    .where(eq(publicReports.assessmentId, id))
    .returning();
  return row!;
}
