/**
 * The checks an assessment's exchange document passes before anything of it is written: its own shape, the
 * organisation, service and framework version it names, the people it names, and its refs and ratings
 * against the pinned framework. Each problem is reported against its field path.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { organisations, services, users } from '../../db/schema.js';
import type { FieldProblem } from '../../errors.js';
import { frameworksRepository as frameworksRepo, leafKloes, type FrameworkDocument } from '../frameworks/index.js';
import { evidenceFileProblems, evidencePeople } from './assessment-export.evidence.js';
import { reportPartPeople } from './assessment-export.report.js';
import type { AssessmentExport } from './assessment-export.schema.js';
import { OVERALL, statementsOf } from './assessment-framework.js';
import { invalidAssessmentInput } from './assessments.errors.js';

/** The first problem in the message, all of them as field problems. */
export function refuse(summary: string, problems: FieldProblem[]): never {
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

/** What the document can be refused for on its own: repeated entries, evidence files, a team without one lead. */
export function checkDocument(doc: AssessmentExport): void {
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
}

/** The organisation (by its code) and its service (by name) that the document is about, as ids here. */
export async function findService(
  db: Database,
  doc: AssessmentExport,
): Promise<{ organisationId: string; serviceId: string }> {
  const [organisation] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.code, doc.organisation.code));
  if (!organisation) {
    refuse('Unknown organisation', [
      { field: 'organisation.code', message: `No organisation with the code ${doc.organisation.code}` },
    ]);
  }
  const [service] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.organisationId, organisation.id), eq(services.name, doc.service.name)));
  if (!service) {
    refuse('Unknown service', [
      { field: 'service.name', message: `${doc.organisation.code} has no service named "${doc.service.name}"` },
    ]);
  }
  return { organisationId: organisation.id, serviceId: service.id };
}

/** The id here of the framework version the document was assessed against, with the same content. */
export async function findFrameworkVersion(db: Database, doc: AssessmentExport): Promise<number> {
  const version = await frameworksRepo.findVersion(db, doc.framework.id, doc.framework.version);
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
  return version.id;
}

/** Every person the document names, by lower-cased email; unknown people are refused, each named. */
export async function peopleByEmail(db: Database, doc: AssessmentExport): Promise<Map<string, string>> {
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
export function checkAgainstFramework(framework: FrameworkDocument, doc: AssessmentExport): void {
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
