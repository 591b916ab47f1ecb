/**
 * Who may do what with custom report templates: the one place that says so. An organisation's templates
 * belong to it: its members upload and delete them, and its members and viewers see them. Shared
 * templates (no organisation) are everyone's to see and use, and administrators' alone to manage.
 * Administrators manage every template; inspectors see them all (they report on every organisation).
 * Using a template for a report is a different rule: see `usableFor`.
 * Pure: unit-tested role by role.
 */
import type { Role } from '../../db/schema.js';
import type { UserActor } from '../accounts/index.js';

/** view: list and download the template file; manage: upload and delete. */
export type TemplateAction = 'view' | 'manage';

type Reach = 'any' | 'own';

const RULES: Record<TemplateAction, Partial<Record<Role, Reach>>> = {
  view: { administrator: 'any', inspector: 'any', organisation_member: 'own', viewer: 'own' },
  manage: { administrator: 'any', organisation_member: 'own' },
};

export function routeConfigFor(action: TemplateAction) {
  return { access: { roles: (Object.keys(RULES[action]) as Role[]).sort() } };
}

/** May the actor do this to a template of this organisation (null: a shared template)? */
export function mayOn(actor: UserActor, action: TemplateAction, organisationId: string | null): boolean {
  const reach = RULES[action][actor.role];
  if (reach === 'any') return true;
  if (reach !== 'own') return false;
  if (organisationId === null) return action === 'view';
  return actor.organisationId === organisationId;
}

/** Which templates a list shows: all, or the shared ones and (when they have one) their organisation's. */
export type TemplateScope = { kind: 'all' } | { kind: 'sharedAnd'; organisationId: string | null };

export function templateScope(actor: UserActor): TemplateScope {
  return RULES.view[actor.role] === 'any'
    ? { kind: 'all' }
    : { kind: 'sharedAnd', organisationId: actor.organisationId };
}

/** May an assessment of this organisation be reported with this template? Its own, or a shared one. */
export const usableFor = (template: { organisationId: string | null }, assessmentOrganisationId: string) =>
  template.organisationId === null || template.organisationId === assessmentOrganisationId;
