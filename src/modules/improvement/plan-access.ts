/**
 * Loading a plan's records for an actor: the organisation and service if the policy lets them do this to
 * its plan (404 when they may not see it, 403 when they may see but not do it), and an aim or action only
 * under its own plan and aim, so that no id reaches a record through another's parents. An inspector reaches
 * the plans of the organisations they inspect: those with an inspection whose team they are on.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { isUuid } from '../../db/ids.js';
import { assessments, assessmentTeam } from '../../db/schema.js';
import { organisationsRepository as organisationsRepo } from '../organisations/index.js';
import { actionNotFound, aimNotFound, planForbidden, planNotFound } from './improvement.errors.js';
import { mayOnPlan, type PlanAction, type PlanActor } from './improvement.policy.js';
import * as repo from './improvement.repository.js';

/** The organisation and its service, if the actor may do this to its plan: 404 when they may not see it. */
export async function loadPlanSubject(
  tx: Database,
  actor: PlanActor,
  organisationId: string,
  serviceId: string,
  action: PlanAction,
) {
  if (!isUuid(organisationId) || !isUuid(serviceId) || !mayOnPlan(actor, 'view', organisationId)) {
    throw planNotFound(serviceId);
  }
  // One after the other: inside a transaction both would share one connection.
  const organisation = await organisationsRepo.findOrganisation(tx, organisationId);
  const service = await organisationsRepo.findService(tx, organisationId, serviceId);
  if (!organisation || !service) throw planNotFound(serviceId);
  if (actor.kind === 'user' && actor.role === 'inspector') {
    if (!(await organisationsInspectedBy(tx, actor.userId)).includes(organisationId)) throw planNotFound(serviceId);
  }
  if (!mayOnPlan(actor, action, organisationId)) throw planForbidden();
  return { organisation, service };
}

/** The organisations with an inspection whose team the person is on (at any stage of the inspection). */
export async function organisationsInspectedBy(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ organisationId: assessments.organisationId })
    .from(assessments)
    .innerJoin(assessmentTeam, eq(assessmentTeam.assessmentId, assessments.id))
    .where(and(eq(assessmentTeam.userId, userId), eq(assessments.kind, 'inspection')));
  return rows.map((r) => r.organisationId);
}

export async function currentAim(tx: Database, serviceId: string, aimId: string) {
  const plan = isUuid(aimId) ? await repo.findPlan(tx, serviceId) : undefined;
  const aim = plan ? await repo.findAim(tx, plan.id, aimId) : undefined;
  if (!aim) throw aimNotFound(aimId);
  return aim;
}

export async function currentAction(tx: Database, aimId: string, actionId: string) {
  const action = isUuid(actionId) ? await repo.findAction(tx, aimId, actionId) : undefined;
  if (!action) throw actionNotFound(actionId);
  return action;
}
