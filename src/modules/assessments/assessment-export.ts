/**
 * Writing an assessment's exchange document (assessment-export.schema.ts says what it holds). Lists are in a
 * fixed order, so exporting, importing into another database and exporting again gives the same document
 * (apart from exportedAt).
 */
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { frameworkVersions } from '../../db/schema.js';
import { organisations, services } from '../../db/schema.js';
import { resolveAssessment, type AssessmentRef } from './assessment-access.js';
import { OVERALL } from './assessment-framework.js';
import { exportEvidence } from './assessment-export.evidence.js';
import { exportReportParts } from './assessment-export.report.js';
import type { AssessmentActor } from './assessments.policy.js';
import { findUsers, listTeam } from './team.repository.js';
import { recommendations } from './recommendations.tables.js';
import {
  assessments,
  challenges,
  findings,
  kloeJudgements,
  rollUpJudgements,
  TEAM_ROLES,
} from './assessments.tables.js';
import { ASSESSMENT_FORMAT, type AssessmentExport } from './assessment-export.schema.js';

export interface ExportOptions {
  /** Reads a file's bytes by SHA-256: given, the document carries every evidence file's bytes. */
  readFile?: (sha256: string) => Promise<Buffer>;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const byRef = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
/** Roll-ups in framework order: key questions by number, "overall" last. */
const byNode = (a: string, b: string) => (a === OVERALL ? (b === OVERALL ? 0 : 1) : b === OVERALL ? -1 : byRef(a, b));

/** The document of one assessment the actor may see. */
export async function exportAssessment(
  db: Database,
  actor: AssessmentActor,
  assessmentRef: AssessmentRef,
  options: ExportOptions = {},
): Promise<AssessmentExport> {
  const { assessment } = await resolveAssessment(db, actor, assessmentRef);
  const id = assessment.id;
  const resolver = alias(users, 'resolver');
  const [context] = await db
    .select({
      organisation: { id: organisations.id, code: organisations.code, name: organisations.name },
      service: { id: services.id, name: services.name },
      framework: {
        id: frameworkVersions.frameworkId,
        version: frameworkVersions.version,
        contentHash: frameworkVersions.contentHash,
      },
    })
    .from(assessments)
    .innerJoin(organisations, eq(organisations.id, assessments.organisationId))
    .innerJoin(services, eq(services.id, assessments.serviceId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId))
    .where(eq(assessments.id, id));
  const evidence = await exportEvidence(db, id, options.readFile);
  const reportParts = await exportReportParts(db, id);
  const [team, findingRows, judgementRows, rollUpRows, challengeRows, people, recommendationRows] = await Promise.all([
    listTeam(db, id),
    db
      .select({ finding: findings, email: users.email })
      .from(findings)
      .leftJoin(users, eq(users.id, findings.updatedBy))
      .where(eq(findings.assessmentId, id)),
    db
      .select({ judgement: kloeJudgements, email: users.email })
      .from(kloeJudgements)
      .leftJoin(users, eq(users.id, kloeJudgements.updatedBy))
      .where(eq(kloeJudgements.assessmentId, id)),
    db
      .select({ rollUp: rollUpJudgements, email: users.email })
      .from(rollUpJudgements)
      .leftJoin(users, eq(users.id, rollUpJudgements.updatedBy))
      .where(eq(rollUpJudgements.assessmentId, id)),
    db
      .select({ challenge: challenges, raisedByEmail: users.email, resolvedByEmail: resolver.email })
      .from(challenges)
      .innerJoin(users, eq(users.id, challenges.raisedBy))
      .leftJoin(resolver, eq(resolver.id, challenges.resolvedBy))
      .where(eq(challenges.assessmentId, id)),
    findUsers(
      db,
      [assessment.createdBy, assessment.publishedBy].filter((x): x is string => x !== null),
    ),
    db
      .select({ recommendation: recommendations, email: users.email })
      .from(recommendations)
      .leftJoin(users, eq(users.id, recommendations.updatedBy))
      .where(eq(recommendations.assessmentId, id))
      .orderBy(recommendations.position),
  ]);
  const emailOf = (userId: string | null) => (userId ? (people.find((p) => p.id === userId)?.email ?? null) : null);
  const roleOrder = (role: string) => TEAM_ROLES.indexOf(role as (typeof TEAM_ROLES)[number]);

  return {
    format: ASSESSMENT_FORMAT,
    exportedAt: new Date().toISOString(),
    assessment: {
      id: assessment.id,
      seriesId: assessment.seriesId,
      revision: assessment.revision,
      kind: assessment.kind,
      title: assessment.title,
      status: assessment.status,
      scope: assessment.scope,
      plannedStart: assessment.plannedStart,
      plannedEnd: assessment.plannedEnd,
      sharedWithOrganisation: assessment.sharedWithOrganisation,
      createdAt: iso(assessment.createdAt),
      updatedAt: iso(assessment.updatedAt),
      publishedAt: isoOrNull(assessment.publishedAt),
      createdByEmail: emailOf(assessment.createdBy),
      publishedByEmail: emailOf(assessment.publishedBy),
    },
    organisation: context!.organisation,
    service: context!.service,
    framework: context!.framework,
    team: team
      .map(({ email, name, role }) => ({ email, name, role }))
      .sort((a, b) => roleOrder(a.role) - roleOrder(b.role) || a.email.localeCompare(b.email)),
    findings: findingRows
      .map(({ finding: f, email }) => ({
        statementRef: f.statementRef,
        kloeRef: f.kloeRef,
        outcome: f.outcome,
        note: f.note,
        updatedAt: iso(f.updatedAt),
        updatedByEmail: email,
      }))
      .sort((a, b) => byRef(a.kloeRef, b.kloeRef) || byRef(a.statementRef, b.statementRef)),
    kloeJudgements: judgementRows
      .map(({ judgement: j, email }) => ({
        kloeRef: j.kloeRef,
        strengths: j.strengths,
        areasForImprovement: j.areasForImprovement,
        exceeded: j.exceeded,
        finalRating: j.finalRating,
        rationale: j.rationale,
        updatedAt: iso(j.updatedAt),
        updatedByEmail: email,
      }))
      .sort((a, b) => byRef(a.kloeRef, b.kloeRef)),
    rollUps: rollUpRows
      .map(({ rollUp: r, email }) => ({
        nodeRef: r.nodeRef,
        finalRating: r.finalRating,
        rationale: r.rationale,
        updatedAt: iso(r.updatedAt),
        updatedByEmail: email,
      }))
      .sort((a, b) => byNode(a.nodeRef, b.nodeRef)),
    challenges: challengeRows
      .map(({ challenge: c, raisedByEmail, resolvedByEmail }) => ({
        targetRef: c.targetRef,
        comment: c.comment,
        raisedByEmail,
        raisedAt: iso(c.raisedAt),
        status: c.status,
        resolution: c.resolution,
        resolvedByEmail,
        resolvedAt: isoOrNull(c.resolvedAt),
      }))
      .sort(
        (a, b) =>
          a.raisedAt.localeCompare(b.raisedAt) ||
          byNode(a.targetRef, b.targetRef) ||
          a.comment.localeCompare(b.comment),
      ),
    recommendations: recommendationRows.map(({ recommendation: r, email }) => ({
      text: r.text,
      priority: r.priority,
      outcome: r.outcome,
      kloeRefs: r.kloeRefs,
      areas: r.areas,
      updatedAt: iso(r.updatedAt),
      updatedByEmail: email,
    })),
    evidence,
    ...reportParts,
  };
}
