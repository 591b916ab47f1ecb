/**
 * Who holds each KLOE and where it is in review. The lead assigns a KLOE to a team member (with a due date)
 * and may name a reviewer; the holder marks it ready for review; the lead or the named reviewer signs it off
 * as reviewed, or sends it back with a reason. A reviewed KLOE refuses every change to its work
 * (`refuseIfReviewed`, asked by the workspace's save) until the lead or its reviewer reopens it with a reason.
 * Every change is in the audit trail under the KLOE, and the people concerned are notified.
 */
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { plainDate, ukDay } from '../../dates.js';
import { recordAudit } from '../audit/index.js';
import {
  allow,
  loadAssessment,
  resolveAssessment,
  visibleAssessmentIds,
  type AssessmentRef,
  type LoadedAssessment,
} from './assessment-access.js';
import { kloesInScope, pinnedFramework } from './assessment-framework.js';
import {
  assessmentForbidden,
  assessmentPublished,
  invalidAssessmentInput,
  kloeNotInAssessment,
} from './assessments.errors.js';
import { may, type AssessmentActor } from './assessments.policy.js';
import type { AssessmentRow } from './assessments.repository.js';
import { listTeam } from './team.repository.js';
import * as repo from './kloe-review.repository.js';
import { REVIEW_STATE_LABELS, type AssignInput, type MoveInput } from './kloe-review.schemas.js';
import type { ReviewState } from './kloe-review.tables.js';
import { createWorkspaceService, kloeEntityId } from './workspace.service.js';

/** What a KLOE's review can be asked to do next, by whom the policy below says. */
export type ReviewAction = 'ready' | 'review' | 'send_back' | 'reopen';

/** A notification to give (the notifications module's shape; given to the service as `notify`). */
interface Notice {
  userId: string;
  kind: 'assigned' | 'review_requested' | 'reviewed' | 'reopened';
  text: string;
  href: string;
}

const userOf = (actor: AssessmentActor) => (actor.kind === 'user' ? actor.userId : null);

/** What the actor may do to the KLOE's review, given where it is and who holds it. */
export function reviewActions(
  actor: AssessmentActor,
  loaded: LoadedAssessment,
  row: Pick<repo.AssignmentRow, 'state' | 'assigneeId' | 'reviewerId'> | undefined,
): ReviewAction[] {
  if (loaded.assessment.status === 'published' || !may(actor, 'judge', loaded.assessment, loaded.teamRole)) return [];
  const me = userOf(actor);
  const lead = loaded.teamRole === 'lead' || actor.kind === 'system';
  const reviewer = lead || (me !== null && row?.reviewerId === me);
  switch (row?.state ?? 'drafting') {
    case 'drafting':
      return lead || !row?.assigneeId || row.assigneeId === me ? ['ready'] : [];
    case 'ready_for_review':
      return reviewer ? ['review', 'send_back'] : [];
    case 'reviewed':
      return reviewer ? ['reopen'] : [];
  }
}

const MOVES: Record<ReviewAction, { from: ReviewState; to: ReviewState; needsReason: boolean; verb: string }> = {
  ready: { from: 'drafting', to: 'ready_for_review', needsReason: false, verb: 'marked ready for review' },
  review: { from: 'ready_for_review', to: 'reviewed', needsReason: false, verb: 'signed off as reviewed' },
  send_back: { from: 'ready_for_review', to: 'drafting', needsReason: true, verb: 'sent back to drafting' },
  reopen: { from: 'reviewed', to: 'drafting', needsReason: true, verb: 'reopened' },
};

export function createKloeReviewService(deps: { db: Database; notify?: (items: Notice[]) => Promise<void> }) {
  const { db } = deps;
  const workspace = createWorkspaceService({ db });
  const notify = async (items: Notice[]) => {
    if (items.length > 0) await deps.notify?.(items);
  };

  /** The people who may hold or review a KLOE: the team, and the organisation's members on its own assessments. */
  async function eligible(tx: Database, assessment: AssessmentRow) {
    const team = await listTeam(tx, assessment.id);
    const members =
      assessment.kind === 'inspection' ? [] : await repo.organisationMembers(tx, assessment.organisationId);
    const people = new Map<string, string>();
    for (const p of [...team, ...members]) people.set(p.userId, p.name);
    return [...people].map(([userId, name]) => ({ userId, name }));
  }

  async function leafOf(tx: Database, assessment: AssessmentRow, ref: string) {
    const doc = await pinnedFramework(tx, assessment.frameworkVersionId);
    const leaf = kloesInScope(doc, assessment.scope).find((l) => l.kloe.ref === ref);
    if (!leaf) throw kloeNotInAssessment(ref);
    return leaf;
  }

  const href = (id: string, ref: string) => `/assessments/${id}/kloes/${ref}`;

  return {
    /** Every KLOE in scope with its state, holder, reviewer and due date (the overview and the assignments page). */
    async board(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const [overview, rows, people] = await Promise.all([
        workspace.overview(actor, loaded),
        repo.listAssignments(db, loaded.assessment.id),
        eligible(db, loaded.assessment),
      ]);
      const byRef = new Map(rows.map((r) => [r.kloeRef, r]));
      const names = await repo.namesOf(
        db,
        rows.flatMap((r) => [r.assigneeId, r.reviewerId]),
      );
      const person = (userId: string | null) =>
        userId ? { id: userId, name: names.get(userId) ?? 'a former member' } : null;
      const now = ukDay();
      const kloes = overview.kloes.map((k) => {
        const row = byRef.get(k.leaf.kloe.ref);
        const state = row?.state ?? 'drafting';
        return {
          kloeRef: k.leaf.kloe.ref,
          question: k.leaf.kloe.question,
          keyQuestionRef: k.leaf.keyQuestion.ref,
          state,
          stateLabel: REVIEW_STATE_LABELS[state],
          assignee: person(row?.assigneeId ?? null),
          reviewer: person(row?.reviewerId ?? null),
          dueOn: row?.dueOn ?? null,
          overdue: state !== 'reviewed' && row?.dueOn != null && row.dueOn < now,
          reviewedAt: row?.reviewedAt ?? null,
          reopenReason: row?.reopenReason ?? null,
          judged: k.judged,
          total: k.total,
        };
      });
      const canAssign =
        loaded.assessment.status !== 'published' && may(actor, 'lead', loaded.assessment, loaded.teamRole);
      return { assessment: loaded.assessment, kloes, people, canAssign };
    },

    /** One KLOE's review, as its page shows it, and what the actor may do to it. */
    async forKloe(actor: AssessmentActor, assessmentRef: AssessmentRef, ref: string) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const row = await repo.findAssignment(db, loaded.assessment.id, ref);
      const names = await repo.namesOf(db, [row?.assigneeId ?? null, row?.reviewerId ?? null, row?.reviewedBy ?? null]);
      const state = row?.state ?? 'drafting';
      return {
        state,
        stateLabel: REVIEW_STATE_LABELS[state],
        assigneeName: row?.assigneeId ? (names.get(row.assigneeId) ?? null) : null,
        reviewerName: row?.reviewerId ? (names.get(row.reviewerId) ?? null) : null,
        reviewedByName: row?.reviewedBy ? (names.get(row.reviewedBy) ?? null) : null,
        reviewedAt: row?.reviewedAt ?? null,
        dueOn: row?.dueOn ?? null,
        reopenReason: row?.reopenReason ?? null,
        actions: reviewActions(actor, loaded, row),
      };
    },

    /** The lead gives the KLOE to someone (or no one), with a due date and, optionally, a reviewer. */
    async assign(actor: AssessmentActor, id: string, ref: string, input: AssignInput) {
      const result = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        if (loaded.assessment.status === 'published') throw assessmentPublished();
        allow(actor, 'lead', loaded);
        await leafOf(tx, loaded.assessment, ref);
        const people = await eligible(tx, loaded.assessment);
        const problems = (['assigneeId', 'reviewerId'] as const)
          .filter((field) => input[field] !== null && !people.some((p) => p.userId === input[field]))
          .map((field) => ({ field, message: 'Choose someone on the assessment’s team' }));
        if (problems.length > 0) throw invalidAssessmentInput('Check who holds the KLOE', problems);
        const before = await repo.findAssignment(tx, id, ref, true);
        const after = await repo.saveAssignment(
          tx,
          { assessmentId: id, kloeRef: ref },
          { assigneeId: input.assigneeId, reviewerId: input.reviewerId, dueOn: input.dueOn, updatedBy: userOf(actor) },
        );
        const names = await repo.namesOf(tx, [
          before?.assigneeId ?? null,
          before?.reviewerId ?? null,
          after.assigneeId,
          after.reviewerId,
        ]);
        const named = (userId: string | null | undefined) => (userId ? (names.get(userId) ?? null) : null);
        await recordAudit(tx, {
          actor,
          action: 'kloe.assigned',
          entityType: 'kloe',
          entityId: kloeEntityId(id, ref),
          before: {
            assignee: named(before?.assigneeId),
            reviewer: named(before?.reviewerId),
            dueOn: before?.dueOn ?? null,
          },
          after: { assignee: named(after.assigneeId), reviewer: named(after.reviewerId), dueOn: after.dueOn },
        });
        return { loaded, before, after };
      });
      const { loaded, before, after } = result;
      const by = actor.kind === 'user' ? actor.name : 'kloe';
      const due = after.dueOn ? `, due ${plainDate(after.dueOn)}` : '';
      const title = loaded.assessment.title;
      const notices: Notice[] = [];
      if (
        after.assigneeId &&
        after.assigneeId !== userOf(actor) &&
        (after.assigneeId !== before?.assigneeId || after.dueOn !== before?.dueOn)
      ) {
        notices.push({
          userId: after.assigneeId,
          kind: 'assigned',
          text: `${by} assigned you KLOE ${ref} of ${title}${due}.`,
          href: href(id, ref),
        });
      }
      if (after.reviewerId && after.reviewerId !== userOf(actor) && after.reviewerId !== before?.reviewerId) {
        notices.push({
          userId: after.reviewerId,
          kind: 'assigned',
          text: `${by} named you the reviewer of KLOE ${ref} of ${title}.`,
          href: href(id, ref),
        });
      }
      await notify(notices);
      return after;
    },

    /** Moves the KLOE's review on (or back); sending back and reopening need a reason. */
    async move(actor: AssessmentActor, id: string, ref: string, input: MoveInput) {
      const { loaded, row, action, reason } = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        if (loaded.assessment.status === 'published') throw assessmentPublished();
        allow(actor, 'judge', loaded);
        await leafOf(tx, loaded.assessment, ref);
        const before = await repo.findAssignment(tx, id, ref, true);
        const state = before?.state ?? 'drafting';
        const action = (Object.keys(MOVES) as ReviewAction[]).find(
          (a) => MOVES[a].from === state && MOVES[a].to === input.to,
        );
        if (!action) {
          throw new AppError(
            'review_move_refused',
            409,
            `KLOE ${ref} is ${REVIEW_STATE_LABELS[state].toLowerCase()}: it cannot move to ${REVIEW_STATE_LABELS[input.to].toLowerCase()}`,
            [{ field: 'to', message: `It is ${REVIEW_STATE_LABELS[state].toLowerCase()}` }],
          );
        }
        if (!reviewActions(actor, loaded, before).includes(action)) {
          throw assessmentForbidden(
            action === 'ready'
              ? `mark KLOE ${ref} ready for review: it is assigned to someone else`
              : `${action === 'review' ? 'sign off' : action === 'reopen' ? 'reopen' : 'send back'} KLOE ${ref}: only the lead or its named reviewer may`,
          );
        }
        const reason = input.reason?.trim() || null;
        if (MOVES[action].needsReason && !reason) {
          throw invalidAssessmentInput('Give a reason', [
            { field: 'reason', message: `Say why KLOE ${ref} is ${MOVES[action].verb}` },
          ]);
        }
        const by = userOf(actor);
        const row = await repo.saveAssignment(
          tx,
          { assessmentId: id, kloeRef: ref },
          {
            state: input.to,
            updatedBy: by,
            ...(action === 'review' ? { reviewedBy: by, reviewedAt: new Date() } : {}),
            ...(MOVES[action].needsReason ? { reopenReason: reason, reviewedBy: null, reviewedAt: null } : {}),
          },
        );
        await recordAudit(tx, {
          actor,
          action: 'kloe.review_moved',
          entityType: 'kloe',
          entityId: kloeEntityId(id, ref),
          before: { review: REVIEW_STATE_LABELS[state] },
          after: { review: REVIEW_STATE_LABELS[input.to] },
          reason,
        });
        return { loaded, row, action, reason };
      });
      const by = actor.kind === 'user' ? actor.name : 'kloe';
      const title = loaded.assessment.title;
      const me = userOf(actor);
      const notices: Notice[] = [];
      if (action === 'ready') {
        const reviewers = row.reviewerId
          ? [row.reviewerId]
          : (await listTeam(db, id)).filter((m) => m.role === 'lead').map((m) => m.userId);
        for (const userId of reviewers.filter((u) => u !== me)) {
          notices.push({
            userId,
            kind: 'review_requested',
            text: `${by} marked KLOE ${ref} of ${title} ready for your review.`,
            href: href(id, ref),
          });
        }
      } else if (row.assigneeId && row.assigneeId !== me) {
        const kind = action === 'review' ? 'reviewed' : 'reopened';
        notices.push({
          userId: row.assigneeId,
          kind,
          text: `${by} ${MOVES[action].verb} KLOE ${ref} of ${title}${reason ? `: “${reason}”` : ''}.`,
          href: href(id, ref),
        });
      }
      await notify(notices);
      return row;
    },

    /** The KLOEs the person holds and those waiting for their review, in assessments they may still see. */
    async workOf(actor: AssessmentActor) {
      if (actor.kind !== 'user') return { assigned: [], toReview: [] };
      const work = await repo.workOf(db, actor.userId);
      // Someone taken off a team keeps no view of its KLOEs.
      const ids = [...new Set([...work.assigned, ...work.toReview].map((w) => w.assessmentId))];
      const visible = await visibleAssessmentIds(db, actor, ids);
      return {
        assigned: work.assigned.filter((w) => visible.has(w.assessmentId)),
        toReview: work.toReview.filter((w) => visible.has(w.assessmentId)),
      };
    },
  };
}

export type KloeReviewService = ReturnType<typeof createKloeReviewService>;
