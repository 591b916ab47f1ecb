/**
 * Loading an assessment on behalf of someone: not found unless the policy lets them see it, and
 * forbidden when they may see it but not do what they ask. Every assessment service goes through here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../../db/database.js';
import { assessmentForbidden, assessmentNotFound, assessmentPublished } from './assessments.errors.js';
import { may, type AssessmentAction, type AssessmentActor } from './assessments.policy.js';
import { type AssessmentSummary, findAssessmentFor } from './assessments.repository.js';
import type { TeamRole } from './assessments.tables.js';
import { isUuid } from '../../db/ids.js';

/** The assessment with the names pages show beside it, and the actor's place on its team. */
export interface LoadedAssessment extends AssessmentSummary {
  /** The actor's place on the team; undefined when they are not on it (or are the system). */
  teamRole: TeamRole | undefined;
}

const WHAT: Record<AssessmentAction, string> = {
  view: 'see this assessment',
  viewHistory: 'see this assessment’s history',
  judge: 'record findings or ratings in this assessment',
  manage: 'change this assessment’s details or team',
  lead: 'do this: only the assessment’s lead may',
  publish: 'publish this assessment: only its lead may',
  challenge: 'challenge a rating: only a team member other than the lead may, during moderation',
};

/**
 * One page asks for the same assessment several times (the visibility hook, the service, the header, the
 * moderation list): within one request a read without a lock is answered from the first. A locked load
 * (a change is coming) always reads the row and empties the memo, so nothing after a change sees the row
 * as it was before it. Outside a request scope (CLI, tests calling services) nothing is remembered.
 */
const requestMemo = new AsyncLocalStorage<Map<string, Promise<LoadedAssessment | undefined>>>();

/** Runs `fn` (the rest of one HTTP request) with its own memo of loaded assessments. */
export function withAssessmentMemo(fn: () => void): void {
  requestMemo.run(new Map(), fn);
}

function findFor(db: Database, actor: AssessmentActor, id: string, lock: 'update' | 'share' | undefined) {
  const userId = actor.kind === 'user' ? actor.userId : null;
  const memo = requestMemo.getStore();
  if (!memo || lock) {
    memo?.clear();
    return findAssessmentFor(db, id, userId, { lock });
  }
  const key = `${id}/${userId ?? ''}`;
  let found = memo.get(key);
  if (!found) {
    found = findAssessmentFor(db, id, userId, {});
    memo.set(key, found);
    found.catch(() => memo.delete(key));
  }
  return found;
}

export async function loadAssessment(
  db: Database,
  actor: AssessmentActor,
  id: string,
  options: { lock?: 'update' | 'share' } = {},
): Promise<LoadedAssessment> {
  if (!isUuid(id)) throw assessmentNotFound(id);
  const found = await findFor(db, actor, id, options.lock);
  if (!found || !may(actor, 'view', found.assessment, found.teamRole)) throw assessmentNotFound(id);
  return found;
}

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
