/**
 * Loading an assessment on behalf of someone: not found unless the policy lets them see it, and
 * forbidden when they may see it but not do what they ask. Every assessment service goes through here.
 */
import type { Database } from '../../db/database.js';
import { assessmentForbidden, assessmentNotFound, assessmentPublished } from './assessments.errors.js';
import { may, type AssessmentAction, type AssessmentActor } from './assessments.policy.js';
import { type AssessmentSummary, findAssessmentFor, findAssessmentsFor } from './assessments.repository.js';
import type { TeamRole } from './assessments.tables.js';
import { isUuid } from '../../db/ids.js';

/** The assessment with the names pages show beside it, and the actor's place on its team. */
export interface LoadedAssessment extends AssessmentSummary {
  /** The actor's place on the team; undefined when they are not on it (or are the system). */
  teamRole: TeamRole | undefined;
  /** Whom it was loaded for (a user id, or 'system'): what it says of the team and the policy is theirs. */
  loadedFor: string;
}

/**
 * An assessment a service is asked about: loaded already (an HTTP request's, attached by the visibility
 * hook: assessments.hooks.ts), or its id (the CLI, other services, tests).
 */
export type AssessmentRef = LoadedAssessment | string;

const WHAT: Record<AssessmentAction, string> = {
  view: 'see this assessment',
  viewHistory: 'see this assessment’s history',
  judge: 'record findings or ratings in this assessment',
  manage: 'change this assessment’s details or team',
  lead: 'do this: only the assessment’s lead may',
  publish: 'publish this assessment: only its lead may',
  challenge: 'challenge a rating: only a team member other than the lead may, during moderation',
};

/** The person acting, or null for the system (whose team role is none). */
const userIdOf = (actor: AssessmentActor): string | null => (actor.kind === 'user' ? actor.userId : null);

/** Whom an assessment is loaded for: a person by their user id, or the system. */
const loadedForOf = (actor: AssessmentActor): string => userIdOf(actor) ?? 'system';

export async function loadAssessment(
  db: Database,
  actor: AssessmentActor,
  id: string,
  options: { lock?: 'update' | 'share' } = {},
): Promise<LoadedAssessment> {
  if (!isUuid(id)) throw assessmentNotFound(id);
  const found = await findAssessmentFor(db, id, userIdOf(actor), options);
  if (!found || !may(actor, 'view', found.assessment, found.teamRole)) throw assessmentNotFound(id);
  return { ...found, loadedFor: loadedForOf(actor) };
}

/** Which of these assessments the actor may see, in one query: for lists that name assessments by id. */
export async function visibleAssessmentIds(db: Database, actor: AssessmentActor, ids: string[]): Promise<Set<string>> {
  const found = await findAssessmentsFor(db, ids.filter(isUuid), userIdOf(actor));
  return new Set(found.filter((f) => may(actor, 'view', f.assessment, f.teamRole)).map((f) => f.assessment.id));
}

/**
 * The assessment a read is about, for the actor: the one given when it was loaded for them, else loaded by
 * its id. One loaded for someone else is refused, so that passing a record on never widens what is seen.
 */
export async function resolveAssessment(
  db: Database,
  actor: AssessmentActor,
  ref: AssessmentRef,
): Promise<LoadedAssessment> {
  if (typeof ref === 'string') return loadAssessment(db, actor, ref);
  if (ref.loadedFor !== loadedForOf(actor)) {
    throw new Error(`Assessment ${ref.assessment.id} was loaded for ${ref.loadedFor}, not for ${loadedForOf(actor)}`);
  }
  return ref;
}

/** The id of the assessment a reference names. */
export const assessmentIdOf = (ref: AssessmentRef): string => (typeof ref === 'string' ? ref : ref.assessment.id);

/** Refuses what the actor may not do; a published assessment refuses every change with its own reason. */
export function allow(actor: AssessmentActor, action: AssessmentAction, loaded: LoadedAssessment): void {
  if (may(actor, action, loaded.assessment, loaded.teamRole)) return;
  const changes = action === 'judge' || action === 'manage';
  if (
    changes &&
    loaded.assessment.status === 'published' &&
    may(actor, action, { ...loaded.assessment, status: 'fieldwork' }, loaded.teamRole)
  ) {
    throw assessmentPublished();
  }
  throw assessmentForbidden(WHAT[action]);
}

/**
 * Loads for a change, inside a transaction: the row is locked until it ends (shared for work inside the
 * assessment, exclusive for changes to the assessment itself), and the action is checked.
 */
export async function loadFor(
  db: Database,
  actor: AssessmentActor,
  id: string,
  action: AssessmentAction,
): Promise<LoadedAssessment> {
  const lock = action === 'judge' || action === 'challenge' ? 'share' : 'update';
  const loaded = await loadAssessment(db, actor, id, { lock });
  allow(actor, action, loaded);
  return loaded;
}
