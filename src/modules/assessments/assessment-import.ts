/**
 * Reading an assessment's exchange document (assessment-export.schema.ts) back into this installation, all
 * or nothing: the document is checked first (assessment-import.checks.ts), then written step by step in one
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import type { EvidenceStorage } from '../evidence/index.js';
import type { FrameworkDocument } from '../frameworks/index.js';
import { importEvidence } from './assessment-export.evidence.js';
import { importReportParts } from './assessment-export.report.js';
import { parseAssessmentExport, type AssessmentExport } from './assessment-export.schema.js';
import { kloesInScope, pinnedFramework, rollUpNodes } from './assessment-framework.js';
import {
  checkAgainstFramework,
  checkDocument,
  findFrameworkVersion,
  findService,
  peopleByEmail,
  refuse,
} from './assessment-import.checks.js';
import { assessmentForbidden } from './assessments.errors.js';
import type { AssessmentActor } from './assessments.policy.js';
import { insertAssessment, type AssessmentRow, type NewAssessment } from './assessments.repository.js';
import { assessmentRecord } from './assessments.service.js';
import {
  assessments,
  assessmentTeam,
  challenges,
  findings,
  kloeJudgements,
  rollUpJudgements,
} from './assessments.tables.js';
import { insertKloeJudgements, insertRollUps } from './judgements.repository.js';
import { recommendations } from './recommendations.tables.js';

export interface ImportOptions {
  /** Import under new ids (a copy) instead of the ids in the document. */
  asNew?: boolean;
  /** Where evidence files go; needed when the document holds evidence. */
  storage?: EvidenceStorage;
}

export interface ImportOutcome {
  id: string;
  seriesId: string;
  revision: number;
  title: string;
  counts: {
    team: number;
    findings: number;
    kloeJudgements: number;
    rollUps: number;
    challenges: number;
    recommendations: number;
    evidence: number;
  };
}

export const assessmentExists = (id: string) =>
  new AppError(
    'assessment_exists',
    409,
    `Assessment ${id} already exists here; import it as new (--as-new, or asNew=true) to keep both`,
    [{ field: 'assessment.id', message: 'An assessment with this id (or this revision of its series) exists' }],
  );

/**
 * Restores an assessment from its document, all or nothing, in one transaction: administrators (and the
 * system) only. The ids in the document are kept unless `asNew`; an id already here is refused (409).
 */
export async function importAssessment(
  db: Database,
  actor: AssessmentActor,
  input: unknown,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  checkMayImport(actor);
  const doc = parseAssessmentExport(input);
  checkDocument(doc);
  const asNew = options.asNew ?? false;
  try {
    return await db.transaction(async (tx) => {
      const place = await findService(tx, doc);
      const frameworkVersionId = await findFrameworkVersion(tx, doc);
      const people = await peopleByEmail(tx, doc);
      const framework = await pinnedFramework(tx, frameworkVersionId);
      checkAgainstFramework(framework, doc);
      const ids = await freeIds(tx, doc, asNew);
      const step: WriteStep = {
        tx,
        assessmentId: ids.id,
        doc,
        userId: (address) => (address === null ? null : people.get(address.toLowerCase())!),
      };
      const row = await writeAssessment(step, { ...ids, ...place, frameworkVersionId });
      const team = await writeTeam(step);
      await writeFindings(step);
      await writeKloeJudgements(step);
      await writeRollUps(step);
      await fillScope(step, framework);
      await writeChallenges(step);
      await writeRecommendations(step);
      await writeEvidence(step, options.storage);
      await importReportParts(tx, ids.id, doc, step.userId);
      const counts = countsOf(doc);
      await recordImport(step, actor, { row, team, counts, asNew });
      return { ...ids, title: row.title, counts };
    });
  } catch (error) {
    // Two imports of the same document at once: the second loses the race on the primary key.
    if (violatedUniqueConstraint(error) !== undefined) throw assessmentExists(doc.assessment.id);
    throw error;
  }
}

/** Administrators and the system may import; anyone else is refused. */
function checkMayImport(actor: AssessmentActor): void {
  if (actor.kind === 'user' && actor.role !== 'administrator') {
    throw assessmentForbidden('import assessments: only administrators may');
  }
}

/**
 * The imported assessment's id, series and revision: the document's, or a new series of one when `asNew`.
 * Refused (409) when this installation has that id or that revision of the series already.
 */
async function freeIds(
  db: Database,
  doc: AssessmentExport,
  asNew: boolean,
): Promise<{ id: string; seriesId: string; revision: number }> {
  const id = asNew ? randomUUID() : doc.assessment.id;
  const seriesId = asNew ? id : doc.assessment.seriesId;
  const revision = asNew ? 1 : doc.assessment.revision;
  const [taken] = await db
    .select({ id: assessments.id })
    .from(assessments)
    .where(or(eq(assessments.id, id), and(eq(assessments.seriesId, seriesId), eq(assessments.revision, revision))));
  if (taken) throw assessmentExists(doc.assessment.id);
  return { id, seriesId, revision };
}

/** What each write step is given: the transaction, the new assessment's id, the document, and people's ids here. */
interface WriteStep {
  tx: Database;
  assessmentId: string;
  doc: AssessmentExport;
  userId: (email: string | null) => string | null;
}

/** The assessment row, its own fields as the document has them, under the ids and references found here. */
async function writeAssessment(
  { tx, doc, userId }: WriteStep,
  ids: Pick<NewAssessment, 'id' | 'seriesId' | 'revision' | 'organisationId' | 'serviceId' | 'frameworkVersionId'>,
): Promise<AssessmentRow> {
  const a = doc.assessment;
  return insertAssessment(tx, {
    ...ids,
    kind: a.kind,
    title: a.title,
    status: a.status,
    scope: a.scope,
    plannedStart: a.plannedStart,
    plannedEnd: a.plannedEnd,
    sharedWithOrganisation: a.sharedWithOrganisation,
    createdBy: userId(a.createdByEmail),
    createdAt: new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
    publishedAt: a.publishedAt ? new Date(a.publishedAt) : null,
    publishedBy: userId(a.publishedByEmail),
  });
}

/** The team, as the audit record keeps it. */
async function writeTeam({ tx, assessmentId, doc, userId }: WriteStep) {
  const team = doc.team.map((m) => ({ userId: userId(m.email)!, role: m.role }));
  await tx.insert(assessmentTeam).values(team.map((m) => ({ assessmentId, ...m })));
  return team;
}

/** The findings against statements. */
async function writeFindings({ tx, assessmentId, doc, userId }: WriteStep): Promise<void> {
  if (doc.findings.length === 0) return;
  await tx.insert(findings).values(
    doc.findings.map((f) => ({
      assessmentId,
      statementRef: f.statementRef,
      kloeRef: f.kloeRef,
      outcome: f.outcome,
      note: f.note,
      updatedBy: userId(f.updatedByEmail),
      updatedAt: new Date(f.updatedAt),
    })),
  );
}

/** The KLOE judgements the document has. */
async function writeKloeJudgements({ tx, assessmentId, doc, userId }: WriteStep): Promise<void> {
  if (doc.kloeJudgements.length === 0) return;
  await tx.insert(kloeJudgements).values(
    doc.kloeJudgements.map((j) => ({
      assessmentId,
      kloeRef: j.kloeRef,
      strengths: j.strengths,
      areasForImprovement: j.areasForImprovement,
      exceeded: j.exceeded,
      finalRating: j.finalRating,
      rationale: j.rationale,
      updatedBy: userId(j.updatedByEmail),
      updatedAt: new Date(j.updatedAt),
    })),
  );
}

/** The roll-up ratings the document has, of key questions and overall. */
async function writeRollUps({ tx, assessmentId, doc, userId }: WriteStep): Promise<void> {
  if (doc.rollUps.length === 0) return;
  await tx.insert(rollUpJudgements).values(
    doc.rollUps.map((r) => ({
      assessmentId,
      nodeRef: r.nodeRef,
      finalRating: r.finalRating,
      rationale: r.rationale,
      updatedBy: userId(r.updatedByEmail),
      updatedAt: new Date(r.updatedAt),
    })),
  );
}

/** A document lacking a KLOE or roll-up in scope gets it empty, as a new assessment would have it. */
async function fillScope({ tx, assessmentId, doc }: WriteStep, framework: FrameworkDocument): Promise<void> {
  const scope = doc.assessment.scope;
  await insertKloeJudgements(
    tx,
    assessmentId,
    kloesInScope(framework, scope).map((leaf) => leaf.kloe.ref),
  );
  await insertRollUps(tx, assessmentId, rollUpNodes(framework, scope));
}

/** The challenges raised in moderation, open or resolved. */
async function writeChallenges({ tx, assessmentId, doc, userId }: WriteStep): Promise<void> {
  if (doc.challenges.length === 0) return;
  await tx.insert(challenges).values(
    doc.challenges.map((c) => ({
      assessmentId,
      targetRef: c.targetRef,
      comment: c.comment,
      raisedBy: userId(c.raisedByEmail)!,
      raisedAt: new Date(c.raisedAt),
      status: c.status,
      resolution: c.resolution,
      resolvedBy: userId(c.resolvedByEmail),
      resolvedAt: c.resolvedAt ? new Date(c.resolvedAt) : null,
    })),
  );
}

/** The recommendations, numbered in the document's order. */
async function writeRecommendations({ tx, assessmentId, doc, userId }: WriteStep): Promise<void> {
  const list = doc.recommendations ?? [];
  if (list.length === 0) return;
  await tx.insert(recommendations).values(
    list.map((r, i) => ({
      assessmentId,
      position: i + 1,
      text: r.text,
      priority: r.priority,
      outcome: r.outcome,
      kloeRefs: r.kloeRefs,
      areas: r.areas,
      updatedBy: userId(r.updatedByEmail),
      updatedAt: new Date(r.updatedAt),
    })),
  );
}

/** The evidence items and their files, which `storage` must hold; files it lacks are refused, each named. */
async function writeEvidence({ tx, assessmentId, doc, userId }: WriteStep, storage: EvidenceStorage | undefined) {
  const evidence = doc.evidence ?? [];
  if (evidence.length === 0) return;
  if (!storage) throw new Error('importAssessment: a document with evidence needs options.storage');
  const missing = await importEvidence(tx, assessmentId, evidence, { storage, userId });
  if (missing.length > 0) refuse('Evidence files missing', missing);
}

/** How many of each part the document held, for the outcome and the audit record. */
function countsOf(doc: AssessmentExport): ImportOutcome['counts'] {
  return {
    team: doc.team.length,
    findings: doc.findings.length,
    kloeJudgements: doc.kloeJudgements.length,
    rollUps: doc.rollUps.length,
    challenges: doc.challenges.length,
    recommendations: (doc.recommendations ?? []).length,
    evidence: (doc.evidence ?? []).length,
  };
}

/** The audit record of the import: the assessment's fields and team, where it came from, and the counts. */
async function recordImport(
  { tx, assessmentId, doc }: WriteStep,
  actor: AssessmentActor,
  imported: {
    row: AssessmentRow;
    team: Awaited<ReturnType<typeof writeTeam>>;
    counts: ImportOutcome['counts'];
    asNew: boolean;
  },
): Promise<void> {
  await recordAudit(tx, {
    actor,
    action: 'assessment.imported',
    entityType: 'assessment',
    entityId: assessmentId,
    after: {
      ...assessmentRecord(imported.row),
      team: imported.team,
      importedFrom: { assessmentId: doc.assessment.id, exportedAt: doc.exportedAt, asNew: imported.asNew },
      counts: imported.counts,
    },
  });
}
