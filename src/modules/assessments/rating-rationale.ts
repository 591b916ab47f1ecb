/**
 * The rules that keep a final rating and its rationale honest (docs/moderation.md):
 * - a rationale argues for one rating against one suggestion. When the final rating changes, the old rationale
 *   no longer applies: it is dropped unless a new one is given with the change. Each rationale keeps the
 *   suggestion it was written against;
 * - a final rating that departs from its suggestion is explained only by a rationale written against the
 *   suggestion as it is now: once findings (or, for a roll-up, the ratings below it) move the suggestion,
 *   the rationale must be written again before the assessment can be published;
 * - in moderation the ratings are the team's agreed position: only the lead changes one, by resolving a
 *   challenge on it, and only the lead re-writes a rationale.
 */
import { AppError } from '../../errors.js';
import type { AssessmentStatus } from './assessments.tables.js';

export interface RatedJudgement {
  finalRating: string | null;
  rationale: string | null;
  rationaleSuggested: string | null;
}

/**
 * The rationale a save leaves: a new one given (recorded against the current suggestion); else, for the same
 * rating, the one before, still against the suggestion it was written for (a form sending the old text back
 * re-confirms nothing); else, for a changed rating, none.
 */
export function nextRationale(
  before: RatedJudgement,
  finalRating: string | null,
  givenRationale: string | null | undefined,
  suggested: string | null,
): Pick<RatedJudgement, 'rationale' | 'rationaleSuggested'> {
  const given = givenRationale === undefined ? undefined : givenRationale?.trim() || null;
  const sameRating = finalRating === before.finalRating;
  if (given !== undefined && !(sameRating && given === before.rationale)) {
    return { rationale: given, rationaleSuggested: given ? suggested : null };
  }
  if (sameRating) return { rationale: before.rationale, rationaleSuggested: before.rationaleSuggested };
  return { rationale: null, rationaleSuggested: null };
}

/** Whether a final rating departs from its suggestion without a rationale written against that suggestion. */
export function departsUnexplained(judgement: RatedJudgement, suggested: string | null): boolean {
  if (!judgement.finalRating || judgement.finalRating === suggested) return false;
  return !judgement.rationale || judgement.rationaleSuggested !== suggested;
}

/** Why a save is refused in moderation, if it is: a rating changed outside a challenge, or a rationale by other than the lead. */
export function moderationRefusal(
  status: AssessmentStatus,
  change: { rating: boolean; rationale: boolean },
  isLead: boolean,
): AppError | undefined {
  if (status !== 'moderation') return undefined;
  if (change.rating) {
    return new AppError(
      'rating_locked_in_moderation',
      409,
      'In moderation a final rating changes only when the lead resolves a challenge on it: raise a challenge instead',
      [{ field: 'finalRating', message: 'In moderation, raise a challenge to change a final rating' }],
    );
  }
  if (change.rationale && !isLead) {
    return new AppError(
      'rating_locked_in_moderation',
      409,
      'In moderation only the lead re-writes a rationale: raise a challenge instead',
      [{ field: 'rationale', message: 'In moderation only the lead re-writes a rationale' }],
    );
  }
  return undefined;
}
