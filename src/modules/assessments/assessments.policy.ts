/**
 * Who may do what with an assessment: the one place that says so. Routes take their role lists from
 * here (`routeConfigFor`), the services ask `may` with the assessment and the actor's place on its team
 * before they read or write, and lists are narrowed by `assessmentScope`. Pure: unit-tested role by role.
 *
 * - Administrators see every assessment and manage its details and team; they do not judge.
 * - Inspectors work on the assessments whose team they are on; the team's lead also manages the team,
 *   moves the status on and publishes. Inspectors may also read a published self-assessment, to set it
 *   beside their inspection.
 * - Organisation members see and contribute to their own organisation's self-assessments and peer
 *   reviews, and see an inspection of their organisation only when its team shares it with them.
 * - Viewers read what their organisation's members may see, and change nothing.
 *
 * An assessment the actor may not see is answered as not found (404), never forbidden.
 */
import type { Role } from '../../db/schema.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';
import type { AssessmentKind, AssessmentStatus, TeamRole } from './assessments.tables.js';

export type AssessmentActor = UserActor | SystemActor;

export type AssessmentAction =
  /** Read the assessment, its findings, ratings and scorecard. */
  | 'view'
  /** Record findings, strengths, areas for improvement and ratings. */
  | 'judge'
  /** Change the title, dates, scope, sharing and team. */
  | 'manage'
  /** Move the status on (and back from moderation), reopen, resolve challenges. */
  | 'lead'
  /** Publish: the lead alone. */
  | 'publish'
  /** Challenge a rating in moderation: a team member who is not the lead. */
  | 'challenge'
  | 'viewHistory';

/** What the policy needs to know of an assessment. */
export interface AssessmentFacts {
  organisationId: string;
  kind: AssessmentKind;
  status: AssessmentStatus;
  sharedWithOrganisation: boolean;
}

/** The roles a route must demand for an action; the record-level rule is then `may`. */
const ROUTE_ROLES: Record<AssessmentAction | 'create', Role[]> = {
  view: ['administrator', 'inspector', 'organisation_member', 'viewer'],
  viewHistory: ['administrator', 'inspector', 'organisation_member'],
  create: ['administrator', 'inspector', 'organisation_member'],
  judge: ['inspector', 'organisation_member'],
  manage: ['administrator', 'inspector', 'organisation_member'],
  lead: ['inspector', 'organisation_member'],
  publish: ['inspector', 'organisation_member'],
  challenge: ['inspector', 'organisation_member'],
};

/** A route's config for an action: `config: routeConfigFor('judge')`. */
export function routeConfigFor(action: AssessmentAction | 'create') {
  return { access: { roles: ROUTE_ROLES[action] } };
}

const isOwnOrganisation = (actor: UserActor, a: AssessmentFacts) =>
  actor.organisationId !== null && actor.organisationId === a.organisationId;

/** The organisation's own assessments are its self-assessments and peer reviews. */
const isOrganisationsOwn = (a: AssessmentFacts) => a.kind !== 'inspection';

function mayView(actor: UserActor, a: AssessmentFacts, teamRole: TeamRole | undefined): boolean {
  switch (actor.role) {
    case 'administrator':
      return true;
    case 'inspector':
      return teamRole !== undefined || (a.kind === 'self_assessment' && a.status === 'published');
    case 'organisation_member':
    case 'viewer':
      return isOwnOrganisation(actor, a) && (isOrganisationsOwn(a) || a.sharedWithOrganisation);
  }
}

/** May the actor do this to this assessment, given their place on its team (undefined: not on it)? */
export function may(
  actor: AssessmentActor,
  action: AssessmentAction,
  a: AssessmentFacts,
  teamRole: TeamRole | undefined,
): boolean {
  if (actor.kind === 'system') return true;
  if (!ROUTE_ROLES[action].includes(actor.role) || !mayView(actor, a, teamRole)) return false;
  const open = a.status !== 'published';
  // An organisation's members contribute to its own assessments without being named on the team.
  const contributor =
    teamRole !== undefined ||
    (actor.role === 'organisation_member' && isOrganisationsOwn(a) && isOwnOrganisation(actor, a));
  switch (action) {
    case 'view':
    case 'viewHistory':
      return true;
    case 'judge':
      return open && contributor;
    case 'manage':
      return open && (actor.role === 'administrator' || teamRole === 'lead');
    case 'lead':
    case 'publish':
      return teamRole === 'lead';
    case 'challenge':
      return a.status === 'moderation' && teamRole === 'member';
  }
}

/** May the actor open an assessment of this kind of this organisation? */
export function mayCreate(actor: AssessmentActor, kind: AssessmentKind, organisationId: string): boolean {
  if (actor.kind === 'system') return true;
  switch (actor.role) {
    case 'administrator':
      return true;
    case 'inspector':
      return kind !== 'self_assessment';
    case 'organisation_member':
      return kind === 'self_assessment' && actor.organisationId === organisationId;
    case 'viewer':
      return false;
  }
}

/** Which assessments a list shows the actor (the same rules as `may(…, 'view', …)`, as a query). */
export type AssessmentScope =
  | { kind: 'all' }
  | { kind: 'inspector'; userId: string }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'none' };

export function assessmentScope(actor: AssessmentActor): AssessmentScope {
  if (actor.kind === 'system' || actor.role === 'administrator') return { kind: 'all' };
  if (actor.role === 'inspector') return { kind: 'inspector', userId: actor.userId };
  if (actor.organisationId) return { kind: 'organisation', organisationId: actor.organisationId };
  return { kind: 'none' };
}

/** What the pages offer the actor on one assessment. */
export function permissionsOn(actor: AssessmentActor, a: AssessmentFacts, teamRole: TeamRole | undefined) {
  const can = (action: AssessmentAction) => may(actor, action, a, teamRole);
  return {
    judge: can('judge'),
    manage: can('manage'),
    lead: can('lead'),
    publish: can('publish'),
    challenge: can('challenge'),
    viewHistory: can('viewHistory'),
  };
}
export type AssessmentPermissions = ReturnType<typeof permissionsOn>;
