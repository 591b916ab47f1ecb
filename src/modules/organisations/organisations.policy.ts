/**
 * Who may do what with organisations and their services: the one place that says so. Routes take their
 * role lists from here (config.access), the service asks here before it reads or writes a record, and the
 * list query is narrowed by `organisationScope`. Pure: unit-tested role by role.
 *
 * Tenant isolation: an organisation member or viewer reaches only their own organisation. A record the
 * actor may not see is answered as not found (404), never forbidden, so its existence does not leak.
 */
import type { Role } from '../../db/schema.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';

export type OrganisationAction = 'view' | 'create' | 'update' | 'manageServices' | 'viewHistory';

/** How far a role's permission reaches: every organisation, or only the one the person belongs to. */
type Reach = 'any' | 'own';

const RULES: Record<OrganisationAction, Partial<Record<Role, Reach>>> = {
  view: { administrator: 'any', inspector: 'any', organisation_member: 'own', viewer: 'own' },
  create: { administrator: 'any' },
  update: { administrator: 'any' },
  // Members describe their own service structure; inspectors and viewers only read it.
  manageServices: { administrator: 'any', organisation_member: 'own' },
  // The audit history names who changed what: for those who change the records, and for inspectors.
  viewHistory: { administrator: 'any', inspector: 'any', organisation_member: 'own' },
};

/** A person, or the system itself (demo loader, CLI), which acts on every organisation. */
export type OrganisationActor = UserActor | SystemActor;

/** The roles a route must demand for an action; the record-level rule is then `mayOn`. */
export function rolesFor(action: OrganisationAction): Role[] {
  return (Object.keys(RULES[action]) as Role[]).sort();
}

/** A route's config for an action: `config: routeConfigFor('update')`. */
export function routeConfigFor(action: OrganisationAction) {
  return { access: { roles: rolesFor(action) } };
}

function reachOf(actor: OrganisationActor, action: OrganisationAction): Reach | undefined {
  return actor.kind === 'system' ? 'any' : RULES[action][actor.role];
}

/** May the actor do this to this organisation? */
export function mayOn(actor: OrganisationActor, action: OrganisationAction, organisationId: string): boolean {
  const reach = reachOf(actor, action);
  if (reach === 'any') return true;
  return reach === 'own' && actor.kind === 'user' && actor.organisationId === organisationId;
}

/** May the actor create organisations? (There is no "own" organisation to create.) */
export function mayCreate(actor: OrganisationActor): boolean {
  return reachOf(actor, 'create') === 'any';
}

/** Which organisations a list shows the actor. */
export type OrganisationScope = { kind: 'all' } | { kind: 'one'; organisationId: string } | { kind: 'none' };

export function organisationScope(actor: OrganisationActor): OrganisationScope {
  const reach = reachOf(actor, 'view');
  if (reach === 'any') return { kind: 'all' };
  if (reach === 'own' && actor.kind === 'user' && actor.organisationId) {
    return { kind: 'one', organisationId: actor.organisationId };
  }
  // A viewer not (yet) linked to an organisation sees none.
  return { kind: 'none' };
}

/** What the pages offer the actor on one organisation's page. */
export function permissionsOn(actor: OrganisationActor, organisationId: string) {
  return {
    update: mayOn(actor, 'update', organisationId),
    manageServices: mayOn(actor, 'manageServices', organisationId),
    viewHistory: mayOn(actor, 'viewHistory', organisationId),
  };
}
