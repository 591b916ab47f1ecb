/**
 * Who may do what with indicators. Definitions and national figures are for everyone signed in (they are
 * about all providers, published data); loading values, defining indicators and comparator groups is for
 * administrators and inspectors (the analysts); one organisation's analysis follows the organisations
 * policy — an organisation member or viewer sees only their own. Pure: unit-tested.
 */
import type { Role } from '../../db/schema.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';
import { mayOn, rolesFor } from '../organisations/index.js';

export type IndicatorAction = 'view' | 'manage' | 'analyse';

const MANAGERS: Role[] = ['administrator', 'inspector'];
const EVERYONE: Role[] = ['administrator', 'inspector', 'organisation_member', 'viewer'];

export function routeConfigFor(action: IndicatorAction) {
  const roles = action === 'manage' ? MANAGERS : action === 'analyse' ? rolesFor('view') : EVERYONE;
  return { access: { roles: [...roles].sort() } };
}

export function mayManage(actor: UserActor | SystemActor): boolean {
  return actor.kind === 'system' || MANAGERS.includes(actor.role);
}

/** May the actor see this organisation's analysis? */
export function mayAnalyse(actor: UserActor | SystemActor, organisationId: string): boolean {
  return mayOn(actor, 'view', organisationId);
}
