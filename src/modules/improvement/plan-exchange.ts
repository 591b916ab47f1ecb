/**
 * The improvement plan exchange format ("kloe-plan/1"), beside kloe-assessment/1: one service's plan with
 * its aims, actions (owners by email, dependencies by the action's ref in the file), status set by a person,
 * and progress updates. Comments and evidence links stay with the installation. The zod schema is the single
 * source of the type, the API body and the published JSON Schema (frameworks/kloe-plan.schema.json).
 *
 * Import is all or nothing: into a service whose plan has no aims yet, every aim, action, dependency, status
 * and progress update through the same rules as a person's saves (one transaction; the first problem found
 * rolls everything back, named by its place in the file, e.g. "aims.0.actions.1.ownerEmail").
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { AppError, type FieldProblem } from '../../errors.js';
import { users } from '../../db/schema.js';
import { ACTION_STATUSES } from './improvement.tables.js';
import * as repo from './improvement.repository.js';
import { createImprovementService } from './improvement.service.js';
import type { PlanActor } from './improvement.policy.js';
import { loadPlanSubject } from './plan-access.js';
import * as progressRepo from './progress.repository.js';
import { createProgressService } from './progress.service.js';
import * as trackRepo from './track-record.repository.js';

export const PLAN_FORMAT = 'kloe-plan/1';

const date = z.iso.date();
const actionSchema = z.object({
  ref: z.string().min(1).max(20).describe('The action’s reference in this file, e.g. "1.2", for dependencies'),
  title: z.string().min(1).max(300),
  ownerEmail: z.string().max(320).nullable().describe('A person of the organisation, by email address'),
  startDate: date.nullable(),
  dueDate: date.nullable(),
  resources: z.string().max(4000),
  milestones: z.array(z.object({ title: z.string().min(1).max(300), date })).max(20),
  measures: z
    .array(
      z.object({
        indicatorCode: z.string().min(1).max(40),
        baseline: z.number(),
        target: z.number(),
        targetPeriod: z.string().min(1).max(20),
      }),
    )
    .max(10),
  dependsOn: z.array(z.string().max(20)).max(20).describe('Refs of actions of this plan that come first'),
  statusSet: z
    .object({ status: z.enum(ACTION_STATUSES), reason: z.string().min(1).max(2000) })
    .nullable()
    .describe('A status a person set against the suggestion, with their reason'),
  progress: z
    .array(z.object({ recordedOn: date, note: z.string().min(1).max(4000), milestonesReached: z.array(z.string()) }))
    .max(500),
});

export const planExportSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  exportedAt: z.iso.datetime({ offset: true }),
  organisation: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  service: z.object({ id: z.uuid(), name: z.string() }),
  aims: z
    .array(
      z.object({
        title: z.string().min(1).max(300),
        description: z.string().max(4000),
        kloeRefs: z.array(z.string().max(20)).max(50),
        recommendations: z
          .array(z.object({ id: z.uuid(), text: z.string() }))
          .max(50)
          .describe('Linked by id, or by the same text among the service’s recommendations where the id is unknown'),
        actions: z.array(actionSchema).max(200),
      }),
    )
    .max(200),
});
export type PlanExport = z.infer<typeof planExportSchema>;

async function emailsOf(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function exportPlan(
  db: Database,
  actor: PlanActor,
  organisationId: string,
  serviceId: string,
): Promise<PlanExport> {
  const { organisation, service } = await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
  const plan = await repo.findPlan(db, serviceId);
  const aims = plan ? await repo.listAims(db, plan.id) : [];
  const actions = await repo.listActions(
    db,
    aims.map((a) => a.id),
  );
  const progress = await progressRepo.listProgress(
    db,
    actions.map((a) => a.id),
  );
  const emails = await emailsOf(db, [...new Set(actions.flatMap((a) => (a.ownerId ? [a.ownerId] : [])))]);
  const linked = await repo.recommendationsOfService(
    db,
    serviceId,
    aims.flatMap((a) => a.recommendationIds),
  );
  const refOf = new Map(
    aims.flatMap((aim) =>
      actions.filter((a) => a.aimId === aim.id).map((a) => [a.id, `${aim.position}.${a.position}`]),
    ),
  );
  return {
    format: PLAN_FORMAT,
    exportedAt: new Date().toISOString(),
    organisation: { id: organisation.id, code: organisation.code, name: organisation.name },
    service: { id: service.id, name: service.name },
    aims: aims.map((aim) => ({
      title: aim.title,
      description: aim.description,
      kloeRefs: aim.kloeRefs,
      recommendations: linked.filter((r) => aim.recommendationIds.includes(r.id)).map(({ id, text }) => ({ id, text })),
      actions: actions
        .filter((a) => a.aimId === aim.id)
        .map((a) => ({
          ref: refOf.get(a.id)!,
          title: a.title,
          ownerEmail: a.ownerId ? (emails.get(a.ownerId) ?? null) : null,
          startDate: a.startDate,
          dueDate: a.dueDate,
          resources: a.resources,
          milestones: a.milestones,
          measures: a.measures,
          dependsOn: a.dependsOn.flatMap((id) => (refOf.has(id) ? [refOf.get(id)!] : [])),
          statusSet:
            a.statusOverride && a.statusReason !== null ? { status: a.statusOverride, reason: a.statusReason } : null,
          progress: progress
            .filter((p) => p.actionId === a.id)
            .reverse()
            .map(({ recordedOn, note, milestonesReached }) => ({ recordedOn, note, milestonesReached })),
        })),
    })),
  };
}

/** Field problems of a save, moved to the place in the file they came from. */
function at(prefix: string, error: unknown): never {
  if (error instanceof AppError && error.problems.length > 0) {
    const problems: FieldProblem[] = error.problems.map((p) => ({ ...p, field: `${prefix}.${p.field}` }));
    throw new AppError('invalid_plan_file', 400, 'The plan file was not imported: nothing was saved', problems);
  }
  throw error;
}

const invalidFile = (problems: FieldProblem[]) =>
  new AppError('invalid_plan_file', 400, 'The plan file was not imported: nothing was saved', problems);

/** Reads a document as the format; every problem named by its place in the file. */
export function parsePlanFile(document: unknown): PlanExport {
  const parsed = planExportSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  throw invalidFile(
    parsed.error.issues
      .slice(0, 20)
      .map((issue) => ({ field: issue.path.join('.') || 'format', message: issue.message })),
  );
}

export async function importPlan(
  db: Database,
  actor: PlanActor,
  organisationId: string,
  serviceId: string,
  file: PlanExport,
  options: { now?: () => Date } = {},
) {
  return db.transaction(async (tx) => {
    const { organisation } = await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
    const existing = await repo.findPlan(tx, serviceId);
    if (existing && (await repo.listAims(tx, existing.id)).length > 0) {
      throw new AppError(
        'plan_not_empty',
        409,
        'This service’s plan already has aims: a plan file is imported into an empty plan only',
      );
    }
    const improvement = createImprovementService({ db: tx, now: options.now });
    const progress = createProgressService({ db: tx, now: options.now });
    const people = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.organisationId, organisation.id)));
    const published = await trackRepo.publishedAssessments(tx, serviceId);
    const known = await trackRepo.recommendationsOf(
      tx,
      published.map((a) => a.id),
    );
    const ids = new Map<string, { id: string; aimId: string; version: number; dependsOn: string[] }>();
    const refs = new Set(file.aims.flatMap((aim) => aim.actions.map((a) => a.ref)));
    let actions = 0;
    for (const [i, aim] of file.aims.entries()) {
      const recommendationIds = aim.recommendations.map((r, j) => {
        const found = known.find((k) => k.id === r.id) ?? known.find((k) => k.text === r.text);
        if (!found)
          throw invalidFile([
            { field: `aims.${i}.recommendations.${j}`, message: `No recommendation “${r.text}” to this service` },
          ]);
        return found.id;
      });
      const row = await improvement
        .createAim(actor, organisationId, serviceId, { ...aim, recommendationIds })
        .catch((e: unknown) => at(`aims.${i}`, e));
      for (const [j, a] of aim.actions.entries()) {
        const where = `aims.${i}.actions.${j}`;
        const owner = a.ownerEmail === null ? undefined : people.find((p) => p.email === a.ownerEmail);
        if (a.ownerEmail !== null && !owner) {
          throw invalidFile([
            { field: `${where}.ownerEmail`, message: `${a.ownerEmail} is not a person of ${organisation.name}` },
          ]);
        }
        a.dependsOn.forEach((ref, k) => {
          if (!refs.has(ref) || ref === a.ref) {
            throw invalidFile([{ field: `${where}.dependsOn.${k}`, message: `No other action “${ref}” in this file` }]);
          }
        });
        const created = await improvement
          .createAction(actor, organisationId, serviceId, row.id, { ...a, ownerId: owner?.id ?? null, dependsOn: [] })
          .catch((e: unknown) => at(where, e));
        for (const [k, p] of a.progress.entries()) {
          await progress
            .recordProgress(actor, organisationId, serviceId, row.id, created.id, { ...p, evidenceItemIds: [] })
            .catch((e: unknown) => at(`${where}.progress.${k}`, e));
        }
        ids.set(a.ref, { id: created.id, aimId: row.id, version: created.version, dependsOn: a.dependsOn });
        actions += 1;
      }
    }
    // Dependencies once every action has its id (the save refuses a circle); then statuses set by people.
    for (const [i, aim] of file.aims.entries()) {
      for (const [j, a] of aim.actions.entries()) {
        const where = `aims.${i}.actions.${j}`;
        const mine = ids.get(a.ref)!;
        if (a.dependsOn.length > 0) {
          const current = await repo.findAction(tx, mine.aimId, mine.id);
          const updated = await improvement
            .updateAction(actor, organisationId, serviceId, mine.aimId, mine.id, {
              ...current!,
              dependsOn: a.dependsOn.map((ref) => ids.get(ref)!.id),
              version: current!.version,
            })
            .catch((e: unknown) => at(where, e));
          mine.version = updated.version;
        }
        if (a.statusSet) {
          await progress
            .setStatus(actor, organisationId, serviceId, mine.aimId, mine.id, { ...a.statusSet, version: mine.version })
            .catch((e: unknown) => at(`${where}.statusSet`, e));
        }
      }
    }
    return { aims: file.aims.length, actions };
  });
}
