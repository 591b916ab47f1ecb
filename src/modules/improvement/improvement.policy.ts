/**
 * Who may do what with improvement plans: the one place that says so by role. Members of an organisation keep
 * its plans; administrators, inspectors and the organisation's viewers read them; inspectors, administrators
 * and members comment on them. A plan of an organisation the actor may not see is answered as not found (404),
 * like the organisation itself. Pure: unit-tested. Which organisations an inspector reaches (those they
 * inspect) needs the database: plan-access.ts narrows 'any' to them.
 */
import type { Role } from '../../db/schema.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';

export type PlanAction = 'view' | 'edit' | 'comment' | 'monitor';
export type PlanActor = UserActor | SystemActor;

type Reach = 'any' | 'own';

const RULES: Record<PlanAction, Partial<Record<Role, Reach>>> = {
  view: { administrator: 'any', inspector: 'any', organisation_member: 'own', viewer: 'own' },
  edit: { organisation_member: 'own' },
  comment: { administrator: 'any', inspector: 'any', organisation_member: 'own' },
  /** Every organisation's plans at once: the monitoring page. */
  monitor: { administrator: 'any', inspector: 'any' },
};

/** A route's config for an action: the roles that may ever do it (the organisation is checked after). */
export function routeConfigFor(action: PlanAction) {
  return { access: { roles: (Object.keys(RULES[action]) as Role[]).sort() } };
}

/** May the actor do this to the plans of this organisation? */
export function mayOnPlan(actor: PlanActor, action: PlanAction, organisationId: string): boolean {
  if (actor.kind === 'system') return true;
  const reach = RULES[action][actor.role];
  if (reach === 'any') return true;
  return reach === 'own' && actor.organisationId === organisationId;
}
