/**
 * Progress on a plan's actions: members record progress updates (a date, a note, milestones reached, the
 * evidence items it rests on) and set an action's status; a status other than the suggested one needs a
 * reason. Inspectors, administrators and members comment on the plan and its actions. Each change is
 * audited in its own transaction.
 */
import type { Database } from '../../db/database.js';
import type { FieldProblem } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { STATUS_LABELS } from './action-status.js';
import { invalidPlanInput, planEditConflict } from './improvement.errors.js';
import type { PlanActor } from './improvement.policy.js';
import * as repo from './improvement.repository.js';
import type { CommentInput, ProgressInput, StatusInput } from './improvement.schemas.js';
import { currentAction, currentAim, loadPlanSubject } from './plan-access.js';
import { actionStatuses, latestReadings } from './plan-status.js';
import * as progressRepo from './progress.repository.js';
import { ukDay } from '../../dates.js';

const userId = (actor: PlanActor) => (actor.kind === 'user' ? actor.userId : null);

export function createProgressService(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;
  const today = () => ukDay(deps.now?.());

  async function statusOf(tx: Database, organisationId: string, action: repo.ActionRow) {
    return (await actionStatuses(tx, [{ ...action, organisationId }], today())).get(action.id)!;
  }

  return {
    today,

    /** The organisation and service of a plan the actor may see. */
    async subject(actor: PlanActor, organisationId: string, serviceId: string) {
      return loadPlanSubject(db, actor, organisationId, serviceId, 'view');
    },

    /** Every action of the plan with its aim, in plan order: what dependencies and comments name. */
    async planActions(actor: PlanActor, organisationId: string, serviceId: string) {
      await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      const plan = await repo.findPlan(db, serviceId);
      return plan ? repo.actionsOfPlan(db, plan.id) : [];
    },

    /** One action with its aim, its status and why, its progress updates (newest first) and its comments. */
    async action(actor: PlanActor, organisationId: string, serviceId: string, aimId: string, actionId: string) {
      const { organisation, service } = await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      const aim = await currentAim(db, serviceId, aimId);
      const action = await currentAction(db, aim.id, actionId);
      const [owner] = action.ownerId
        ? (await repo.organisationPeople(db, organisationId)).filter((p) => p.id === action.ownerId)
        : [];
      const progress = await progressRepo.listProgress(db, [action.id]);
      const status = await statusOf(db, organisationId, action);
      const comments = (await progressRepo.listComments(db, aim.planId)).filter(
        (c) => c.comment.actionId === action.id,
      );
      const evidenceIds = [...new Set(progress.flatMap((p) => p.evidenceItemIds))];
      const evidence = await progressRepo.evidenceOfService(db, serviceId, evidenceIds);
      const codes = action.measures.map((m) => m.indicatorCode);
      const readings = latestReadings(await progressRepo.readingsOf(db, [organisationId], codes));
      const latest = Object.fromEntries(
        codes.flatMap((code) => {
          const row = readings.get(`${organisationId}|${code}`);
          return row ? [[code, { value: row.value, period: row.period }]] : [];
        }),
      );
      return {
        latest,
        organisation,
        service,
        aim,
        action: { ...action, ownerName: owner?.name ?? null },
        progress,
        status,
        comments,
        evidence,
      };
    },

    /** What the progress form offers: the action's milestones and the evidence items of the service. */
    async progressOptions(actor: PlanActor, organisationId: string, serviceId: string) {
      await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
      return { evidence: await progressRepo.evidenceOfService(db, serviceId) };
    },

    async recordProgress(
      actor: PlanActor,
      organisationId: string,
      serviceId: string,
      aimId: string,
      actionId: string,
      input: ProgressInput,
    ) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        const action = await currentAction(tx, aim.id, actionId);
        const problems: FieldProblem[] = [];
        if (input.recordedOn > today()) {
          problems.push({ field: 'recordedOn', message: 'Progress can only be recorded up to today' });
        }
        const titles = new Set(action.milestones.map((m) => m.title));
        input.milestonesReached.forEach((title, i) => {
          if (!titles.has(title)) {
            problems.push({ field: `milestonesReached.${i}`, message: `“${title}” is not a milestone of this action` });
          }
        });
        const known = new Set(
          (await progressRepo.evidenceOfService(tx, serviceId, input.evidenceItemIds)).map((e) => e.id),
        );
        input.evidenceItemIds.forEach((id, i) => {
          if (!known.has(id)) {
            problems.push({
              field: `evidenceItemIds.${i}`,
              message: 'Not an evidence item of this service’s assessments that its organisation can see',
            });
          }
        });
        if (problems.length > 0) throw invalidPlanInput(problems);
        const row = await progressRepo.insertProgress(tx, { actionId: action.id, ...input, createdBy: userId(actor) });
        await recordAudit(tx, {
          actor,
          action: 'improvement_progress.recorded',
          entityType: 'improvement_action',
          entityId: action.id,
          after: { ...input, id: row.id, actionId: action.id },
        });
        return row;
      });
    },

    /**
     * Sets the action's status at the version read. The suggested status clears any override; another needs
     * a reason, kept beside it.
     */
    async setStatus(
      actor: PlanActor,
      organisationId: string,
      serviceId: string,
      aimId: string,
      actionId: string,
      input: StatusInput,
    ) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'edit');
        const aim = await currentAim(tx, serviceId, aimId);
        const before = await currentAction(tx, aim.id, actionId);
        const status = await statusOf(tx, organisationId, before);
        const follows = input.status === status.suggested;
        if (!follows && input.reason === '') {
          throw invalidPlanInput([
            {
              field: 'reason',
              message: `Say why the status is ${STATUS_LABELS[input.status].toLowerCase()} rather than the suggested ${STATUS_LABELS[status.suggested].toLowerCase()}`,
            },
          ]);
        }
        const fields = follows
          ? { statusOverride: null, statusReason: null }
          : { statusOverride: input.status, statusReason: input.reason };
        const updated = await repo.updateActionStatus(tx, before.id, input.version, {
          ...fields,
          updatedBy: userId(actor),
        });
        if (!updated) throw planEditConflict({ ...before, record: { statusOverride: before.statusOverride } });
        await recordAudit(tx, {
          actor,
          action: 'improvement_action.status_set',
          entityType: 'improvement_action',
          entityId: before.id,
          before: { statusOverride: before.statusOverride, statusReason: before.statusReason },
          after: { ...fields, suggested: status.suggested },
        });
        return updated;
      });
    },

    async addComment(actor: PlanActor, organisationId: string, serviceId: string, input: CommentInput) {
      return db.transaction(async (tx) => {
        await loadPlanSubject(tx, actor, organisationId, serviceId, 'comment');
        const plan = await repo.ensurePlan(tx, organisationId, serviceId);
        if (input.actionId !== null && !(await repo.actionOfPlan(tx, plan.id, input.actionId))) {
          throw invalidPlanInput([{ field: 'actionId', message: 'Not an action of this plan' }]);
        }
        const row = await progressRepo.insertComment(tx, {
          planId: plan.id,
          actionId: input.actionId,
          body: input.body,
          authorId: userId(actor),
        });
        await recordAudit(tx, {
          actor,
          action: 'improvement_comment.added',
          entityType: 'improvement_plan',
          entityId: plan.id,
          after: { id: row.id, actionId: input.actionId, body: input.body },
        });
        return row;
      });
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
