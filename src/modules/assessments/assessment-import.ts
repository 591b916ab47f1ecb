/**
 * Reading an assessment's exchange document (assessment-export.schema.ts) back into this installation, all
 * or nothing: every person, organisation, service and framework reference it names is checked first, and
 * each problem is reported against its field path.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import { AppError, type FieldProblem } from '../../errors.js';
import { users } from '../../db/schema.js';
import { recordAudit } from '../audit/index.js';
import { leafKloes } from '../frameworks/index.js';
import { frameworksRepository as frameworksRepo } from '../frameworks/index.js';
import { organisations, services } from '../../db/schema.js';
import { kloesInScope, OVERALL, pinnedFramework, rollUpNodes, statementsOf } from './assessment-framework.js';
import { assessmentForbidden, invalidAssessmentInput } from './assessments.errors.js';
import type { EvidenceStorage } from '../evidence/index.js';
import { evidenceFileProblems, evidencePeople, importEvidence } from './assessment-export.evidence.js';
import { importReportParts, reportPartPeople } from './assessment-export.report.js';
import type { AssessmentActor } from './assessments.policy.js';
import * as repo from './assessments.repository.js';
import { recommendations } from './recommendations.tables.js';
import { assessmentRecord } from './assessments.service.js';
import {
  assessments,
  assessmentTeam,
  challenges,
  findings,
  kloeJudgements,
  rollUpJudgements,
} from './assessments.tables.js';
import { parseAssessmentExport, type AssessmentExport } from './assessment-export.schema.js';

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

/** The first problem in the message, all of them as field problems. */
function refuse(summary: string, problems: FieldProblem[]): never {
  throw invalidAssessmentInput(`${summary}: ${problems[0]!.field}: ${problems[0]!.message}`, problems);
}

/** Where each value first appears more than once in a list, as problems. */
function duplicates<T>(
  items: T[],
  key: (item: T) => string,
  field: (i: number) => string,
  what: string,
): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) problems.push({ field: field(i), message: `${k} appears more than once ${what}` });
    seen.add(k);
  });
  return problems;
}

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
  if (actor.kind === 'user' && actor.role !== 'administrator') {
    throw assessmentForbidden('import assessments: only administrators may');
  }
  const doc = parseAssessmentExport(input);
  const shape = [
    ...duplicates(
      doc.team,
      (m) => m.email.toLowerCase(),
      (i) => `team.${i}.email`,
      'in the team',
    ),
    ...duplicates(
      doc.findings,
      (f) => f.statementRef,
      (i) => `findings.${i}.statementRef`,
      'in the findings',
    ),
    ...duplicates(
      doc.kloeJudgements,
      (j) => j.kloeRef,
      (i) => `kloeJudgements.${i}.kloeRef`,
      'in the KLOE judgements',
    ),
    ...duplicates(
      doc.rollUps,
      (r) => r.nodeRef,
      (i) => `rollUps.${i}.nodeRef`,
      'in the roll-ups',
    ),
  ];
  shape.push(...evidenceFileProblems(doc.evidence ?? []));
  const leads = doc.team.filter((m) => m.role === 'lead').length;
  if (leads !== 1) shape.push({ field: 'team', message: `The team must have exactly one lead, not ${leads}` });
  if (shape.length > 0) refuse('Check the document', shape);

  try {
    return await db.transaction(async (tx) => {
      const [organisation] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.code, doc.organisation.code));
      if (!organisation) {
        refuse('Unknown organisation', [
          { field: 'organisation.code', message: `No organisation with the code ${doc.organisation.code}` },
        ]);
      }
      const [service] = await tx
        .select({ id: services.id })
        .from(services)
        .where(and(eq(services.organisationId, organisation.id), eq(services.name, doc.service.name)));
      if (!service) {
        refuse('Unknown service', [
          { field: 'service.name', message: `${doc.organisation.code} has no service named "${doc.service.name}"` },
        ]);
      }
      const version = await frameworksRepo.findVersion(tx, doc.framework.id, doc.framework.version);
      if (!version) {
        refuse('Unknown framework version', [
          {
            field: 'framework.version',
            message: `No framework ${doc.framework.id} version ${doc.framework.version} here`,
          },
        ]);
      }
      if (version.contentHash !== doc.framework.contentHash) {
        refuse('Different framework content', [
          {
            field: 'framework.contentHash',
            message: `${doc.framework.id} version ${doc.framework.version} here has different content from the one assessed`,
          },
        ]);
      }

      const people = await peopleByEmail(tx, doc);
      const userId = (address: string | null) => (address === null ? null : people.get(address.toLowerCase())!);

      const frameworkDoc = await pinnedFramework(tx, version.id);
      checkAgainstFramework(frameworkDoc, doc);

      const id = options.asNew ? randomUUID() : doc.assessment.id;
      const seriesId = options.asNew ? id : doc.assessment.seriesId;
      const revision = options.asNew ? 1 : doc.assessment.revision;
      const [taken] = await tx
        .select({ id: assessments.id })
        .from(assessments)
        .where(or(eq(assessments.id, id), and(eq(assessments.seriesId, seriesId), eq(assessments.revision, revision))));
      if (taken) throw assessmentExists(doc.assessment.id);

      const a = doc.assessment;
      const row = await repo.insertAssessment(tx, {
        id,
        seriesId,
        revision,
        organisationId: organisation.id,
        serviceId: service.id,
        frameworkVersionId: version.id,
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
      const team = doc.team.map((m) => ({ userId: userId(m.email)!, role: m.role }));
      await tx.insert(assessmentTeam).values(team.map((m) => ({ assessmentId: id, ...m })));
      if (doc.findings.length > 0) {
        await tx.insert(findings).values(
          doc.findings.map((f) => ({
            assessmentId: id,
            statementRef: f.statementRef,
            kloeRef: f.kloeRef,
            outcome: f.outcome,
            note: f.note,
            updatedBy: userId(f.updatedByEmail),
            updatedAt: new Date(f.updatedAt),
          })),
        );
      }
      if (doc.kloeJudgements.length > 0) {
        await tx.insert(kloeJudgements).values(
          doc.kloeJudgements.map((j) => ({
            assessmentId: id,
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
      if (doc.rollUps.length > 0) {
        await tx.insert(rollUpJudgements).values(
          doc.rollUps.map((r) => ({
            assessmentId: id,
            nodeRef: r.nodeRef,
            finalRating: r.finalRating,
            rationale: r.rationale,
            updatedBy: userId(r.updatedByEmail),
            updatedAt: new Date(r.updatedAt),
          })),
        );
      }
      // A document lacking a KLOE or roll-up in scope gets it empty, as a new assessment would have it.
      await repo.insertKloeJudgements(
        tx,
        id,
        kloesInScope(frameworkDoc, a.scope).map((leaf) => leaf.kloe.ref),
      );
      await repo.insertRollUps(tx, id, rollUpNodes(frameworkDoc, a.scope));
      if (doc.challenges.length > 0) {
        await tx.insert(challenges).values(
          doc.challenges.map((c) => ({
            assessmentId: id,
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
      const recommendationList = doc.recommendations ?? [];
      if (recommendationList.length > 0) {
        await tx.insert(recommendations).values(
          recommendationList.map((r, i) => ({
            assessmentId: id,
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
      const evidence = doc.evidence ?? [];
      if (evidence.length > 0) {
        if (!options.storage) throw new Error('importAssessment: a document with evidence needs options.storage');
        const missing = await importEvidence(tx, id, evidence, { storage: options.storage, userId });
        if (missing.length > 0) refuse('Evidence files missing', missing);
      }
      await importReportParts(tx, id, doc, userId);
      const counts = {
        team: team.length,
        findings: doc.findings.length,
        kloeJudgements: doc.kloeJudgements.length,
        rollUps: doc.rollUps.length,
        challenges: doc.challenges.length,
        recommendations: recommendationList.length,
        evidence: evidence.length,
      };
      await recordAudit(tx, {
        actor,
        action: 'assessment.imported',
        entityType: 'assessment',
        entityId: id,
        after: {
          ...assessmentRecord(row),
          team,
          importedFrom: { assessmentId: a.id, exportedAt: doc.exportedAt, asNew: options.asNew ?? false },
          counts,
        },
      });
      return { id, seriesId, revision, title: row.title, counts };
    });
  } catch (error) {
    // Two imports of the same document at once: the second loses the race on the primary key.
    if (violatedUniqueConstraint(error) !== undefined) throw assessmentExists(doc.assessment.id);
    throw error;
  }
}

/** Every person the document names, by lower-cased email; unknown people are refused, each named. */
async function peopleByEmail(db: Database, doc: AssessmentExport): Promise<Map<string, string>> {
  const named: { field: string; email: string }[] = [
    { field: 'assessment.createdByEmail', email: doc.assessment.createdByEmail },
    { field: 'assessment.publishedByEmail', email: doc.assessment.publishedByEmail },
    ...doc.team.map((m, i) => ({ field: `team.${i}.email`, email: m.email })),
    ...doc.findings.map((f, i) => ({ field: `findings.${i}.updatedByEmail`, email: f.updatedByEmail })),
    ...doc.kloeJudgements.map((j, i) => ({ field: `kloeJudgements.${i}.updatedByEmail`, email: j.updatedByEmail })),
    ...doc.rollUps.map((r, i) => ({ field: `rollUps.${i}.updatedByEmail`, email: r.updatedByEmail })),
    ...doc.challenges.flatMap((c, i) => [
      { field: `challenges.${i}.raisedByEmail`, email: c.raisedByEmail },
      { field: `challenges.${i}.resolvedByEmail`, email: c.resolvedByEmail },
    ]),
    ...(doc.recommendations ?? []).map((r, i) => ({
      field: `recommendations.${i}.updatedByEmail`,
      email: r.updatedByEmail,
    })),
    ...evidencePeople(doc.evidence ?? []),
    ...reportPartPeople(doc),
  ].flatMap((n) => (n.email === null ? [] : [{ field: n.field, email: n.email.toLowerCase() }]));
  const wanted = [...new Set(named.map((n) => n.email))];
  const found =
    wanted.length === 0
      ? []
      : await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, wanted));
  const ids = new Map(found.map((p) => [p.email.toLowerCase(), p.id]));
  const unknown = wanted.filter((address) => !ids.has(address));
  if (unknown.length > 0) {
    const problems = unknown.map((address) => ({
      field: named.find((n) => n.email === address)!.field,
      message: `No person with the email address ${address}`,
    }));
    throw invalidAssessmentInput(`Unknown people: ${unknown.join(', ')}`, problems);
  }
  return ids;
}

/** Every ref in the document must be of the pinned framework version, and every rating on its scale. */
function checkAgainstFramework(framework: Awaited<ReturnType<typeof pinnedFramework>>, doc: AssessmentExport): void {
  const leaves = new Map(leafKloes(framework).map((leaf) => [leaf.kloe.ref, leaf]));
  const keyQuestions = new Set(framework.keyQuestions.map((kq) => kq.ref));
  const scale = new Set(framework.ratingScale.map((level) => level.id));
  const name = `${doc.framework.id} version ${doc.framework.version}`;
  const problems: FieldProblem[] = [];
  const rating = (field: string, value: string | null) => {
    if (value !== null && !scale.has(value)) {
      problems.push({ field, message: `${value} is not on the rating scale of ${name} (${[...scale].join(', ')})` });
    }
  };

  (doc.assessment.scope ?? []).forEach((kloeRef, i) => {
    if (!leaves.has(kloeRef))
      problems.push({ field: `assessment.scope.${i}`, message: `${kloeRef} is not a KLOE of ${name}` });
  });
  doc.findings.forEach((f, i) => {
    const leaf = leaves.get(f.kloeRef);
    if (!leaf) {
      problems.push({ field: `findings.${i}.kloeRef`, message: `${f.kloeRef} is not a KLOE of ${name}` });
    } else if (!statementsOf(leaf).some((s) => s.ref === f.statementRef)) {
      problems.push({
        field: `findings.${i}.statementRef`,
        message: `${f.statementRef} is not a statement of KLOE ${f.kloeRef} in ${name}`,
      });
    }
  });
  doc.kloeJudgements.forEach((j, i) => {
    if (!leaves.has(j.kloeRef))
      problems.push({ field: `kloeJudgements.${i}.kloeRef`, message: `${j.kloeRef} is not a KLOE of ${name}` });
    rating(`kloeJudgements.${i}.finalRating`, j.finalRating);
  });
  doc.rollUps.forEach((r, i) => {
    if (r.nodeRef !== OVERALL && !keyQuestions.has(r.nodeRef)) {
      problems.push({ field: `rollUps.${i}.nodeRef`, message: `${r.nodeRef} is not a key question of ${name}` });
    }
    rating(`rollUps.${i}.finalRating`, r.finalRating);
  });
  doc.challenges.forEach((c, i) => {
    if (c.targetRef !== OVERALL && !keyQuestions.has(c.targetRef) && !leaves.has(c.targetRef)) {
      problems.push({ field: `challenges.${i}.targetRef`, message: `${c.targetRef} is not a rating of ${name}` });
    }
  });
  (doc.recommendations ?? []).forEach((r, i) => {
    [...r.kloeRefs, ...r.areas.map((a) => a.kloeRef)].forEach((kloeRef) => {
      if (!leaves.has(kloeRef)) {
        problems.push({ field: `recommendations.${i}`, message: `${kloeRef} is not a KLOE of ${name}` });
      }
    });
  });
  (doc.evidence ?? []).forEach((item, i) => {
    item.links.forEach((link, j) => {
      const leaf = leaves.get(link.kloeRef);
      if (!leaf) {
        problems.push({
          field: `evidence.${i}.links.${j}.kloeRef`,
          message: `${link.kloeRef} is not a KLOE of ${name}`,
        });
      } else if (link.statementRef !== null && !statementsOf(leaf).some((s) => s.ref === link.statementRef)) {
        problems.push({
          field: `evidence.${i}.links.${j}.statementRef`,
          message: `${link.statementRef} is not a statement of KLOE ${link.kloeRef} in ${name}`,
        });
      }
    });
  });
  if (problems.length > 0) refuse(`Not an assessment against ${name}`, problems);
}
