/**
 * Moderation: while an assessment is in moderation, a team member other than the lead may challenge a
 * rating (a KLOE's, a key question's or the overall one) with a comment; the lead resolves each
 * challenge by keeping the rating or changing it, with a reason that becomes its rationale. This is the
 * only way a final rating changes in moderation (rating-rationale.ts; the workspace's saves refuse it).
 * Open challenges block publishing (assessments.service.ts asks before it publishes).
 */
import type { Database } from '../../db/database.js';
import { notFound } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { allow, loadAssessment, loadFor, resolveAssessment, type AssessmentRef } from './assessment-access.js';
import { keyQuestionsInScope, kloesInScope, OVERALL, pinnedFramework } from './assessment-framework.js';
import { assessmentForbidden, invalidAssessmentInput, statusMoveRefused } from './assessments.errors.js';
import type { AssessmentActor } from './assessments.policy.js';
import type { AssessmentRow } from './assessments.repository.js';
import { listTeam } from './team.repository.js';
import { findKloeJudgement, listRollUps, updateKloeJudgement, updateRollUp } from './judgements.repository.js';
import { findChallenge, insertChallenge, listChallenges, resolveChallenge } from './challenges.repository.js';
import type { ChallengeInput, ResolveChallengeInput } from './assessments.schemas.js';
import { currentSuggestion, kloeEntityId } from './workspace.service.js';
import { isUuid } from '../../db/ids.js';

/** A challenged rating in words: "KLOE 4.1", "key question 5", "the overall judgement". */
const challengeTarget = (ref: string) =>
  ref === OVERALL ? 'the overall judgement' : ref.includes('.') ? `KLOE ${ref}` : `key question ${ref}`;

const challengeNotFound = (id: string) => notFound('challenge_not_found', `No challenge with id "${id}"`);

/** Tells people of a challenge raised or resolved (the notifications module's `notify`); never throws. */
type NotifyChallenge = (
  items: { userId: string; kind: 'challenge_raised' | 'challenge_resolved'; text: string; href: string }[],
) => Promise<void>;

export function createModerationService(deps: { db: Database; notify?: NotifyChallenge }) {
  const { db } = deps;

  /** The ratings that can be challenged: the KLOEs, key questions in scope and the overall judgement. */
  async function targets(tx: Database, assessment: AssessmentRow) {
    const doc = await pinnedFramework(tx, assessment.frameworkVersionId);
    return new Set([
      ...kloesInScope(doc, assessment.scope).map((leaf) => leaf.kloe.ref),
      ...keyQuestionsInScope(doc, assessment.scope).map((kq) => kq.ref),
      OVERALL,
    ]);
  }

  return {
    async list(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      return listChallenges(db, assessment.id);
    },

    async raise(actor: AssessmentActor, id: string, input: ChallengeInput) {
      const raised = await db.transaction(async (tx) => {
        // A challenge is a person's: the system (CLI, demo loader) raises none.
        if (actor.kind !== 'user') throw assessmentForbidden('raise a challenge except as a team member');
        const { assessment } = await loadFor(tx, actor, id, 'challenge');
        if (!(await targets(tx, assessment)).has(input.targetRef)) {
          throw invalidAssessmentInput('Check the rating challenged', [
            { field: 'targetRef', message: `${input.targetRef} is not a rating of this assessment` },
          ]);
        }
        const row = await insertChallenge(tx, {
          assessmentId: id,
          targetRef: input.targetRef,
          comment: input.comment,
          raisedBy: actor.userId,
        });
        await recordAudit(tx, {
          actor,
          action: 'challenge.raised',
          entityType: 'kloe',
          entityId: kloeEntityId(id, input.targetRef),
          after: { challengeId: row.id, comment: row.comment },
        });
        const leads = (await listTeam(tx, id)).filter((m) => m.role === 'lead').map((m) => m.userId);
        return { row, leads, title: assessment.title };
      });
      await deps.notify?.(
        raised.leads.map((userId) => ({
          userId,
          kind: 'challenge_raised' as const,
          text: `${actor.kind === 'user' ? actor.name : 'Someone'} challenged the rating of ${challengeTarget(input.targetRef)} of ${raised.title}: “${input.comment.slice(0, 140)}”`,
          href: `/assessments/${id}/moderation`,
        })),
      );
      return raised.row;
    },

    /** Keeps the rating ("accepted") or changes it ("changed") to the rating given; the reason is recorded either way. */
    async resolve(actor: AssessmentActor, id: string, challengeId: string, input: ResolveChallengeInput) {
      const done = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'update' });
        allow(actor, 'lead', loaded);
        const challenge = isUuid(challengeId)
          ? await findChallenge(tx, id, challengeId, { forUpdate: true })
          : undefined;
        if (!challenge) throw challengeNotFound(challengeId);
        if (challenge.status !== 'open') {
          throw statusMoveRefused('resolved', 'resolved', 'this challenge has already been resolved');
        }
        const by = actor.kind === 'user' ? actor.userId : null;
        if (input.outcome === 'changed')
          await changeRating(tx, loaded.assessment, challenge.targetRef, input.rating!, input.reason, by);
        const resolved = await resolveChallenge(
          tx,
          { assessmentId: id, id: challenge.id },
          { status: input.outcome, resolution: input.reason, resolvedBy: by },
        );
        if (!resolved) throw challengeNotFound(challengeId);
        await recordAudit(tx, {
          actor,
          action: 'challenge.resolved',
          entityType: 'kloe',
          entityId: kloeEntityId(id, challenge.targetRef),
          before: { challengeId: challenge.id, status: 'open' },
          after: { challengeId: challenge.id, status: input.outcome, rating: input.rating ?? null },
          reason: input.reason,
        });
        return { resolved, title: loaded.assessment.title };
      });
      const { resolved, title } = done;
      if (resolved.raisedBy !== (actor.kind === 'user' ? actor.userId : null)) {
        const outcome = input.outcome === 'changed' ? 'changed the rating' : 'kept the rating';
        await deps.notify?.([
          {
            userId: resolved.raisedBy,
            kind: 'challenge_resolved',
            text: `${actor.kind === 'user' ? actor.name : 'The lead'} resolved your challenge to ${challengeTarget(resolved.targetRef)} of ${title}: ${outcome}. “${input.reason.slice(0, 140)}”`,
            href: `/assessments/${id}/moderation`,
          },
        ]);
      }
      return resolved;
    },
  };
}

/** The lead's change of a challenged rating: the reason becomes its rationale. */
async function changeRating(
  tx: Database,
  assessment: AssessmentRow,
  targetRef: string,
  rating: string,
  reason: string,
  by: string | null,
): Promise<void> {
  const doc = await pinnedFramework(tx, assessment.frameworkVersionId);
  if (!doc.ratingScale.some((level) => level.id === rating)) {
    throw invalidAssessmentInput('Check the rating', [
      {
        field: 'rating',
        message: `Choose a rating on the framework's scale (${doc.ratingScale.map((l) => l.id).join(', ')})`,
      },
    ]);
  }
  const isKloe = kloesInScope(doc, assessment.scope).some((leaf) => leaf.kloe.ref === targetRef);
  // The reason is the new rating's rationale, written against the suggestion as it is now.
  const rationaleSuggested = await currentSuggestion(tx, assessment, targetRef);
  const values = { finalRating: rating, rationale: reason, rationaleSuggested, updatedBy: by };
  if (isKloe) {
    const current = (await findKloeJudgement(tx, assessment.id, targetRef))!;
    await updateKloeJudgement(tx, assessment.id, targetRef, current.version, values);
  } else {
    const current = (await listRollUps(tx, assessment.id)).find((r) => r.nodeRef === targetRef)!;
    await updateRollUp(tx, assessment.id, targetRef, current.version, values);
  }
}
export type ModerationService = ReturnType<typeof createModerationService>;
