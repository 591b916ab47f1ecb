/**
 * The rules of improvement plans: who may read and change them (the policy), what an aim and an action may
 * link to (KLOEs of the built-in framework, the service's recommendations, people of the organisation,
 * indicators with values for it), dates that hold together, optimistic concurrency on every save, and an
 * audit entry in the same transaction as each change. Quality flags are computed on every read.
 */
import type { Database } from '../../db/database.js';
import { AppError, type FieldProblem } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { leafKloes } from '../frameworks/index.js';
import { JUDGEMENT_2_FRAMEWORK } from '../frameworks/index.js';
import { frameworksRepository as frameworksRepo } from '../frameworks/index.js';
import { invalidPlanInput, planEditConflict } from './improvement.errors.js';
import type { PlanActor } from './improvement.policy.js';
import { currentAction, currentAim, loadPlanSubject } from './plan-access.js';
import type { TargetBenchmarks } from './target-benchmarks.js';
import * as repo from './improvement.repository.js';
import type { ActionInput, AimInput, UpdateActionInput, UpdateAimInput } from './improvement.schemas.js';
import { dependencyCycle } from './dependency-cycle.js';
import { planQualityFlags } from './plan-quality.js';
import { actionStatuses, polarityOf } from './plan-status.js';
import * as progressRepo from './progress.repository.js';
import { ukDay } from '../../dates.js';

const userId = (actor: PlanActor) => (actor.kind === 'user' ? actor.userId : null);

/** What the audit trail keeps of an aim and of an action. */
const aimRecord = ({ id, planId, title, description, kloeRefs, recommendationIds }: repo.AimRow) => ({
  id,
  planId,
  title,
  description,
  kloeRefs,
  recommendationIds,
});
const actionRecord = (row: repo.ActionRow) => {
  const { id, aimId, title, ownerId, startDate, dueDate, resources, milestones, measures, dependsOn } = row;
  return { id, aimId, title, ownerId, startDate, dueDate, resources, milestones, measures, dependsOn };
};

/** The leaf KLOEs of the built-in framework's latest version: what an aim may answer. */
export async function frameworkKloes(db: Database) {
  const version = await frameworksRepo.findVersion(db, JUDGEMENT_2_FRAMEWORK.id);
  return version ? leafKloes(version.document).map((leaf) => leaf.kloe) : [];
}

export function createImprovementService(deps: {
  db: Database;
  now?: () => Date;
  /** What targets are set against (the indicators' analysis); without it, targets are not judged challenging. */
  benchmarks?: TargetBenchmarks;
}) {
  const { db } = deps;

  async function checkAim(tx: Database, serviceId: string, input: AimInput) {
    const known = new Set((await frameworkKloes(tx)).map((k) => k.ref));
    const ofService = new Set(
      (await repo.recommendationsOfService(tx, serviceId, input.recommendationIds)).map((r) => r.id),
    );
    const problems: FieldProblem[] = [];
    input.kloeRefs.forEach((ref, i) => {
      if (!known.has(ref)) problems.push({ field: `kloeRefs.${i}`, message: `KLOE ${ref} is not in the framework` });
    });
    input.recommendationIds.forEach((id, i) => {
      if (!ofService.has(id)) {
        problems.push({
          field: `recommendationIds.${i}`,
          message: 'Not a recommendation to this service that its organisation can see',
        });
      }
    });
    if (problems.length > 0) throw invalidPlanInput(problems);
  }

  /** Dependencies only on other actions of the same plan, and never in a circle. */
  async function checkDependencies(tx: Database, serviceId: string, actionId: string | undefined, input: ActionInput) {
    if (input.dependsOn.length === 0) return [];
    const plan = await repo.findPlan(tx, serviceId);
    const actions = plan ? await repo.actionsOfPlan(tx, plan.id) : [];
    const problems: FieldProblem[] = [];
    input.dependsOn.forEach((id, i) => {
      if (id === actionId || !actions.some((a) => a.id === id)) {
        problems.push({ field: `dependsOn.${i}`, message: 'Choose another action of this plan' });
      }
    });
    if (problems.length > 0 || actionId === undefined) return problems; // a new action closes no circle
    const edges = new Map(actions.map((a) => [a.id, a.dependsOn]));
    const cycle = dependencyCycle(actionId, input.dependsOn, edges);
    if (cycle) {
      const titles = cycle.map((id) => `“${actions.find((a) => a.id === id)?.title ?? id}”`);
      problems.push({ field: 'dependsOn', message: `This would make a circle of dependencies: ${titles.join(' → ')}` });
    }
    return problems;
  }

  async function checkAction(
    tx: Database,
    organisation: { id: string; name: string },
    serviceId: string,
    actionId: string | undefined,
    input: ActionInput,
  ) {
    const problems: FieldProblem[] = await checkDependencies(tx, serviceId, actionId, input);
    if (input.startDate && input.dueDate && input.dueDate < input.startDate) {
      problems.push({ field: 'dueDate', message: 'The due date must be the same as or after the start date' });
    }
    input.milestones.forEach((m, i) => {
      if (input.dueDate && m.date > input.dueDate) {
        problems.push({ field: `milestones.${i}.date`, message: 'A milestone must fall on or before the due date' });
      }
    });
    if (input.ownerId !== null) {
      const people = await repo.organisationPeople(tx, organisation.id);
      if (!people.some((p) => p.id === input.ownerId)) {
        problems.push({ field: 'ownerId', message: `Choose a person of ${organisation.name} as the owner` });
      }
    }
    const codes = input.measures.map((m) => m.indicatorCode);
    const withValues = new Set((await repo.indicatorsWithValues(tx, organisation.id, codes)).map((i) => i.code));
    input.measures.forEach((m, i) => {
      if (!withValues.has(m.indicatorCode)) {
        problems.push({
          field: `measures.${i}.indicatorCode`,
          message: `Indicator ${m.indicatorCode} has no values for ${organisation.name}`,
        });
      }
    });
    if (problems.length > 0) throw invalidPlanInput(problems);
  }

  return {
    /** The plan of a service (empty until its first aim), with its actions' owners and its quality flags. */
    async get(actor: PlanActor, organisationId: string, serviceId: string) {
      const { organisation, service } = await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      const plan = await repo.findPlan(db, serviceId);
      const aimRows = plan ? await repo.listAims(db, plan.id) : [];
      const actionRows = await repo.listActions(
        db,
        aimRows.map((a) => a.id),
      );
      const linked = await repo.recommendationsOfService(
        db,
        serviceId,
        aimRows.flatMap((a) => a.recommendationIds),
      );
      const statuses = await actionStatuses(
        db,
        actionRows.map((a) => ({ ...a, organisationId })),
        ukDay(deps.now?.()),
      );
      const aims = aimRows.map((aim) => ({
        ...aim,
        actions: actionRows.filter((a) => a.aimId === aim.id).map((a) => ({ ...a, status: statuses.get(a.id)! })),
        recommendations: linked.filter((r) => aim.recommendationIds.includes(r.id)),
      }));
      const codes = [...new Set(actionRows.flatMap((a) => a.measures.map((m) => m.indicatorCode)))];
      const indicators = await repo.indicatorsWithValues(db, organisationId, codes);
      const polarities = new Map(indicators.map((i) => [i.code, polarityOf(i)]));
      const comments = plan ? await progressRepo.listComments(db, plan.id) : [];
      const benchmarks = (await deps.benchmarks?.(actor, organisationId, codes)) ?? new Map();
      return { organisation, service, plan, aims, comments, flags: planQualityFlags(aims, polarities, benchmarks) };
    },

    /** What the forms offer: KLOEs of the framework, people of the organisation, its indicators with values. */
    async options(actor: PlanActor, organisationId: string, serviceId: string) {
      await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      const [kloes, people, indicators] = await Promise.all([
        frameworkKloes(db),
        repo.organisationPeople(db, organisationId),
        repo.indicatorsWithValues(db, organisationId),
      ]);
      return { kloes, people, indicators };
    },

    async getAim(actor: PlanActor, organisationId: string, serviceId: string, aimId: string) {
      await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      return currentAim(db, serviceId, aimId);
    },

    async getAction(actor: PlanActor, organisationId: string, serviceId: string, aimId: string, actionId: string) {
      await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      const aim = await currentAim(db, serviceId, aimId);
      return { aim, action: await currentAction(db, aim.id, actionId) };
    },

    async createAim(actor: PlanActor, organisationId: string, serviceId: string, input: AimInput) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        await checkAim(tx, serviceId, input);
        const plan = await repo.ensurePlan(tx, organisationId, serviceId);
        const row = (await repo.insertAim(tx, plan.id, { ...input, updatedBy: userId(actor) }))!;
        await recordAudit(tx, {
          actor,
          action: 'improvement_aim.created',
          entityType: 'improvement_aim',
          entityId: row.id,
          after: aimRecord(row),
        });
        return row;
      });
    },

    /** At the version the caller read; a save someone else beat is refused with theirs (409). */
    async updateAim(actor: PlanActor, organisationId: string, serviceId: string, aimId: string, input: UpdateAimInput) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const before = await currentAim(tx, serviceId, aimId);
        await checkAim(tx, serviceId, input);
        const { version, ...fields } = input;
        const updated = await repo.updateAim(tx, aimId, version, { ...fields, updatedBy: userId(actor) });
        if (!updated) throw planEditConflict({ ...before, record: aimRecord(before) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_aim.updated',
          entityType: 'improvement_aim',
          entityId: aimId,
          before: aimRecord(before),
          after: aimRecord(updated),
        });
        return updated;
      });
    },

    async createAction(actor: PlanActor, organisationId: string, serviceId: string, aimId: string, input: ActionInput) {
      return db.transaction(async (tx) => {
        const { organisation } = await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        await checkAction(tx, organisation, serviceId, undefined, input);
        const row = await repo.insertAction(tx, aim.id, { ...input, updatedBy: userId(actor) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_action.created',
          entityType: 'improvement_action',
          entityId: row.id,
          after: actionRecord(row),
        });
        return row;
      });
    },

    async updateAction(
      actor: PlanActor,
      organisationId: string,
      serviceId: string,
      aimId: string,
      actionId: string,
      input: UpdateActionInput,
    ) {
      return db.transaction(async (tx) => {
        const { organisation } = await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        const before = await currentAction(tx, aim.id, actionId);
        await checkAction(tx, organisation, serviceId, before.id, input);
        const { version, ...fields } = input;
        const updated = await repo.updateAction(tx, actionId, version, { ...fields, updatedBy: userId(actor) });
        if (!updated) throw planEditConflict({ ...before, record: actionRecord(before) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_action.updated',
          entityType: 'improvement_action',
          entityId: actionId,
          before: actionRecord(before),
          after: actionRecord(updated),
        });
        return updated;
      });
    },

    /** Deletes an aim and its actions at the version read, unless an action elsewhere depends on one of them. */
    async deleteAim(
      actor: PlanActor,
      organisationId: string,
      serviceId: string,
      aimId: string,
      version: number | undefined,
    ) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const before = await currentAim(tx, serviceId, aimId);
        const actions = await repo.actionsOfPlan(tx, before.planId);
        const going = new Set(actions.filter((a) => a.aimId === before.id).map((a) => a.id));
        refuseIfDependedOn(actions, going);
        const deleted = await repo.deleteAim(tx, before.id, version ?? before.version);
        if (!deleted) throw planEditConflict({ ...before, record: aimRecord(before) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_aim.deleted',
          entityType: 'improvement_aim',
          entityId: before.id,
          before: aimRecord(before),
        });
      });
    },

    async deleteAction(
      actor: PlanActor,
      organisationId: string,
      serviceId: string,
      aimId: string,
      actionId: string,
      version: number | undefined,
    ) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        const before = await currentAction(tx, aim.id, actionId);
        refuseIfDependedOn(await repo.actionsOfPlan(tx, aim.planId), new Set([before.id]));
        const deleted = await repo.deleteAction(tx, before.id, version ?? before.version);
        if (!deleted) throw planEditConflict({ ...before, record: actionRecord(before) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_action.deleted',
          entityType: 'improvement_action',
          entityId: before.id,
          before: actionRecord(before),
        });
      });
    },
  };
}

/** Refuses to delete actions that others staying in the plan depend on, naming them. */
function refuseIfDependedOn(actions: { id: string; title: string; dependsOn: string[] }[], going: Set<string>) {
  const dependants = actions.filter((a) => !going.has(a.id) && a.dependsOn.some((id) => going.has(id)));
  if (dependants.length > 0) {
    const message = `Other actions depend on this: ${dependants.map((a) => `“${a.title}”`).join(', ')}. Change them first.`;
    throw new AppError('action_depended_on', 409, message, [{ field: 'confirm', message }]);
  }
}

export type ImprovementService = ReturnType<typeof createImprovementService>;
