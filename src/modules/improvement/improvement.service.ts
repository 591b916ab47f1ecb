/**
 * The rules of improvement plans: who may read and change them (the policy), what an aim and an action may
 * link to (KLOEs of the built-in framework, the service's recommendations, people of the organisation,
 * indicators with values for it), dates that hold together, optimistic concurrency on every save, and an
 * audit entry in the same transaction as each change. Quality flags are computed on every read.
 */
import type { Database } from '../../db/database.js';
import { isUuid } from '../../db/ids.js';
import type { FieldProblem } from '../../errors.js';
import { recordAudit } from '../audit/audit.recorder.js';
import { leafKloes } from '../frameworks/framework.tree.js';
import { JUDGEMENT_2_FRAMEWORK } from '../frameworks/judgement2.js';
import * as frameworksRepo from '../frameworks/frameworks.repository.js';
import * as organisationsRepo from '../organisations/organisations.repository.js';
import {
  actionNotFound,
  aimNotFound,
  invalidPlanInput,
  planEditConflict,
  planForbidden,
  planNotFound,
} from './improvement.errors.js';
import { mayOnPlan, type PlanAction, type PlanActor } from './improvement.policy.js';
import * as repo from './improvement.repository.js';
import type { ActionInput, AimInput, UpdateActionInput, UpdateAimInput } from './improvement.schemas.js';
import { planQualityFlags, type Polarity } from './plan-quality.js';

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
  const { id, aimId, title, ownerId, startDate, dueDate, resources, milestones, measures } = row;
  return { id, aimId, title, ownerId, startDate, dueDate, resources, milestones, measures };
};

/** The leaf KLOEs of the built-in framework's latest version: what an aim may answer. */
export async function frameworkKloes(db: Database) {
  const version = await frameworksRepo.findVersion(db, JUDGEMENT_2_FRAMEWORK.id);
  return version ? leafKloes(version.document).map((leaf) => leaf.kloe) : [];
}

const polarityOf = (row: { polarity: 'higher' | 'lower' | 'target'; target: number | null }): Polarity =>
  row.polarity === 'target' ? { polarity: 'target', target: row.target ?? 0 } : { polarity: row.polarity };

export function createImprovementService(deps: { db: Database }) {
  const { db } = deps;

  /** The organisation and its service, if the actor may do this to its plan: 404 when they may not see it. */
  async function load(tx: Database, actor: PlanActor, organisationId: string, serviceId: string, action: PlanAction) {
    if (!isUuid(organisationId) || !isUuid(serviceId) || !mayOnPlan(actor, 'view', organisationId)) {
      throw planNotFound(serviceId);
    }
    // One after the other: inside a transaction both would share one connection.
    const organisation = await organisationsRepo.findOrganisation(tx, organisationId);
    const service = await organisationsRepo.findService(tx, organisationId, serviceId);
    if (!organisation || !service) throw planNotFound(serviceId);
    if (!mayOnPlan(actor, action, organisationId)) throw planForbidden();
    return { organisation, service };
  }

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

  async function checkAction(tx: Database, organisation: { id: string; name: string }, input: ActionInput) {
    const problems: FieldProblem[] = [];
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

  async function currentAim(tx: Database, serviceId: string, aimId: string) {
    const plan = isUuid(aimId) ? await repo.findPlan(tx, serviceId) : undefined;
    const aim = plan ? await repo.findAim(tx, plan.id, aimId) : undefined;
    if (!aim) throw aimNotFound(aimId);
    return aim;
  }

  async function currentAction(tx: Database, aimId: string, actionId: string) {
    const action = isUuid(actionId) ? await repo.findAction(tx, aimId, actionId) : undefined;
    if (!action) throw actionNotFound(actionId);
    return action;
  }

  return {
    /** The plan of a service (empty until its first aim), with its actions' owners and its quality flags. */
    async get(actor: PlanActor, organisationId: string, serviceId: string) {
      const { organisation, service } = await load(db, actor, organisationId, serviceId, 'view');
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
      const aims = aimRows.map((aim) => ({
        ...aim,
        actions: actionRows.filter((a) => a.aimId === aim.id),
        recommendations: linked.filter((r) => aim.recommendationIds.includes(r.id)),
      }));
      const codes = [...new Set(actionRows.flatMap((a) => a.measures.map((m) => m.indicatorCode)))];
      const indicators = await repo.indicatorsWithValues(db, organisationId, codes);
      const polarities = new Map(indicators.map((i) => [i.code, polarityOf(i)]));
      return { organisation, service, aims, flags: planQualityFlags(aims, polarities) };
    },

    /** What the forms offer: KLOEs of the framework, people of the organisation, its indicators with values. */
    async options(actor: PlanActor, organisationId: string, serviceId: string) {
      await load(db, actor, organisationId, serviceId, 'view');
      const [kloes, people, indicators] = await Promise.all([
        frameworkKloes(db),
        repo.organisationPeople(db, organisationId),
        repo.indicatorsWithValues(db, organisationId),
      ]);
      return { kloes, people, indicators };
    },

    async getAim(actor: PlanActor, organisationId: string, serviceId: string, aimId: string) {
      await load(db, actor, organisationId, serviceId, 'view');
      return currentAim(db, serviceId, aimId);
    },

    async getAction(actor: PlanActor, organisationId: string, serviceId: string, aimId: string, actionId: string) {
      await load(db, actor, organisationId, serviceId, 'view');
      const aim = await currentAim(db, serviceId, aimId);
      return { aim, action: await currentAction(db, aim.id, actionId) };
    },

    async createAim(actor: PlanActor, organisationId: string, serviceId: string, input: AimInput) {
      return db.transaction(async (tx) => {
        await load(tx, actor, organisationId, serviceId, 'edit');
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
        await load(tx, actor, organisationId, serviceId, 'edit');
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
        const { organisation } = await load(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        await checkAction(tx, organisation, input);
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
        const { organisation } = await load(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        const before = await currentAction(tx, aim.id, actionId);
        await checkAction(tx, organisation, input);
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
  };
}

export type ImprovementService = ReturnType<typeof createImprovementService>;
