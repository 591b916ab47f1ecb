/**
 * Comments: threads about a KLOE or one of its statements. On an inspection a thread is the team's alone,
 * or (when the team shares the inspection) the team's and the organisation's; on the organisation's own
 * assessments every contributor reads every thread. Mentioned people are notified. Comments are not
 * evidence: they are in no report and no export. A resolved thread folds away and may be reopened.
 * Starting a thread, replying, resolving and reopening are audited, in the transaction that makes the change;
 * the entry names the thread, the KLOE and the audience, and leaves the words to the comment itself.
 */
import type { Database } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { isUuid } from '../../db/ids.js';
import {
  allow,
  loadAssessment,
  resolveAssessment,
  type AssessmentRef,
  type LoadedAssessment,
} from '../assessments/index.js';
import { kloesInScope, pinnedFramework, statementsOf } from '../assessments/index.js';
import { assessmentPublished, kloeNotInAssessment } from '../assessments/index.js';
import { may, type AssessmentActor } from '../assessments/index.js';
import { listTeam } from '../assessments/index.js';
import { organisationMembers } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import type { Notify } from '../notifications/index.js';
import * as repo from './comments.repository.js';
import type { ReplyInput, StartThreadInput } from './comments.schemas.js';
import type { CommentAudience } from './comments.tables.js';

/** What an audit entry keeps of a thread: where it is and who reads it, not what was said. */
const threadRecord = (thread: {
  assessmentId: string;
  kloeRef: string;
  statementRef: string | null;
  audience: CommentAudience;
}) => ({
  assessmentId: thread.assessmentId,
  kloeRef: thread.kloeRef,
  statementRef: thread.statementRef,
  audience: thread.audience,
});

const threadNotFound = (id: string) => notFound('comment_thread_not_found', `No comment thread with id "${id}"`);

/** Which threads the actor reads, and to which they may write. */
export function audiencesOf(
  actor: AssessmentActor,
  loaded: LoadedAssessment,
): { read: CommentAudience[]; write: CommentAudience[] } {
  const { assessment, teamRole } = loaded;
  const open = assessment.status !== 'published';
  if (actor.kind === 'system') return { read: ['team', 'organisation'], write: [] };
  const judge = may(actor, 'judge', assessment, teamRole);
  if (assessment.kind !== 'inspection') {
    return { read: ['team'], write: judge ? ['team'] : [] };
  }
  const onTeam = teamRole !== undefined || actor.role === 'administrator';
  const ofOrganisation = actor.organisationId === assessment.organisationId;
  const shared = assessment.sharedWithOrganisation;
  const read: CommentAudience[] = [
    ...(onTeam ? (['team'] as const) : []),
    ...(shared && (onTeam || ofOrganisation) ? (['organisation'] as const) : []),
  ];
  const write: CommentAudience[] = [
    ...(judge ? (['team'] as const) : []),
    ...(shared && open && (judge || (ofOrganisation && actor.role === 'organisation_member'))
      ? (['organisation'] as const)
      : []),
  ];
  return { read, write };
}

export function createCommentsService(deps: { db: Database; notify?: Notify }) {
  const { db } = deps;

  async function leafOf(tx: Database, loaded: LoadedAssessment, ref: string) {
    const doc = await pinnedFramework(tx, loaded.assessment.frameworkVersionId);
    const leaf = kloesInScope(doc, loaded.assessment.scope).find((l) => l.kloe.ref === ref);
    if (!leaf) throw kloeNotInAssessment(ref);
    return leaf;
  }

  /** Who may be mentioned in a thread of this audience: those who can read it. */
  async function mentionable(tx: Database, loaded: LoadedAssessment, audience: CommentAudience) {
    const { assessment } = loaded;
    const team = (await listTeam(tx, assessment.id)).map((m) => ({ userId: m.userId, name: m.name }));
    const members =
      assessment.kind !== 'inspection' || audience === 'organisation'
        ? await organisationMembers(tx, assessment.organisationId)
        : [];
    const people = new Map<string, string>();
    for (const p of [...team, ...members]) people.set(p.userId, p.name);
    return [...people].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  function checkWrite(actor: AssessmentActor, loaded: LoadedAssessment, audience: CommentAudience) {
    if (loaded.assessment.status === 'published') throw assessmentPublished();
    if (!audiencesOf(actor, loaded).write.includes(audience)) {
      if (audiencesOf(actor, loaded).read.includes(audience)) allow(actor, 'judge', loaded);
      throw new AppError('forbidden', 403, 'You may not comment here');
    }
  }

  async function checkMentions(tx: Database, loaded: LoadedAssessment, audience: CommentAudience, ids: string[]) {
    const people = new Set((await mentionable(tx, loaded, audience)).map((p) => p.userId));
    const unknown = ids.filter((id) => !people.has(id));
    if (unknown.length > 0) {
      throw new AppError('invalid_request', 400, 'Check who you mention', [
        { field: 'mentions', message: 'Mention only people who can read this thread' },
      ]);
    }
    return [...new Set(ids)];
  }

  async function tellMentioned(
    actor: AssessmentActor,
    loaded: LoadedAssessment,
    thread: repo.ThreadRow,
    mentioned: string[],
    body: string,
  ) {
    if (!deps.notify || actor.kind !== 'user') return;
    const about = thread.statementRef
      ? `statement ${thread.statementRef} of KLOE ${thread.kloeRef}`
      : `KLOE ${thread.kloeRef}`;
    const excerpt = body.length > 140 ? `${body.slice(0, 140)}…` : body;
    await deps.notify(
      mentioned
        .filter((userId) => userId !== actor.userId)
        .map((userId) => ({
          userId,
          kind: 'mentioned' as const,
          text: `${actor.name} mentioned you in a comment on ${about} of ${loaded.assessment.title}: “${excerpt}”`,
          href: `/assessments/${loaded.assessment.id}/kloes/${thread.kloeRef}/comments#thread-${thread.id}`,
        })),
    );
  }

  return {
    /** The threads of one KLOE the actor may read, and what they may write and mention. */
    async forKloe(actor: AssessmentActor, assessmentRef: AssessmentRef, ref: string) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const leaf = await leafOf(db, loaded, ref);
      const audiences = audiencesOf(actor, loaded);
      const threads = await repo.listThreads(db, loaded.assessment.id, ref, [...audiences.read]);
      const people = Object.fromEntries(
        await Promise.all(audiences.write.map(async (a) => [a, await mentionable(db, loaded, a)] as const)),
      ) as Partial<Record<CommentAudience, { userId: string; name: string }[]>>;
      return {
        assessment: loaded.assessment,
        ref,
        question: leaf.kloe.question,
        statements: statementsOf(leaf).map((s) => ({ ref: s.ref, text: s.statement.text })),
        threads,
        audiences,
        people,
      };
    },

    async start(actor: AssessmentActor, id: string, ref: string, input: StartThreadInput) {
      if (actor.kind !== 'user') throw new AppError('forbidden', 403, 'Only a person may comment');
      const done = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        const leaf = await leafOf(tx, loaded, ref);
        checkWrite(actor, loaded, input.audience);
        if (input.statementRef && !statementsOf(leaf).some((s) => s.ref === input.statementRef)) {
          throw new AppError('invalid_request', 400, 'Check the statement', [
            { field: 'statementRef', message: `${input.statementRef} is not a statement of KLOE ${ref}` },
          ]);
        }
        const mentioned = await checkMentions(tx, loaded, input.audience, input.mentions);
        const thread = await repo.insertThread(tx, {
          assessmentId: id,
          kloeRef: ref,
          statementRef: input.statementRef || null,
          audience: input.audience,
          createdBy: actor.userId,
        });
        const comment = await repo.insertComment(tx, {
          threadId: thread.id,
          authorId: actor.userId,
          body: input.body,
          mentions: mentioned,
        });
        await recordAudit(tx, {
          actor,
          action: 'comment_thread.started',
          entityType: 'comment_thread',
          entityId: thread.id,
          after: { ...threadRecord(thread), commentId: comment.id, mentions: mentioned },
        });
        return { loaded, thread, comment, mentioned };
      });
      await tellMentioned(actor, done.loaded, done.thread, done.mentioned, input.body);
      return { thread: done.thread, comment: done.comment };
    },

    async reply(actor: AssessmentActor, id: string, threadId: string, input: ReplyInput) {
      if (actor.kind !== 'user') throw new AppError('forbidden', 403, 'Only a person may comment');
      const done = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        const thread = await this.threadFor(tx, actor, loaded, threadId);
        checkWrite(actor, loaded, thread.audience);
        const mentioned = await checkMentions(tx, loaded, thread.audience, input.mentions);
        const comment = await repo.insertComment(tx, {
          threadId: thread.id,
          authorId: actor.userId,
          body: input.body,
          mentions: mentioned,
        });
        // A reply to a resolved thread opens it again.
        if (thread.resolvedAt) await repo.setResolved(tx, thread.id, null);
        await recordAudit(tx, {
          actor,
          action: 'comment.added',
          entityType: 'comment_thread',
          entityId: thread.id,
          after: { ...threadRecord(thread), commentId: comment.id, mentions: mentioned, reopened: !!thread.resolvedAt },
        });
        return { loaded, thread, comment, mentioned };
      });
      await tellMentioned(actor, done.loaded, done.thread, done.mentioned, input.body);
      return done.comment;
    },

    async resolve(actor: AssessmentActor, id: string, threadId: string, resolved: boolean) {
      return db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        const thread = await this.threadFor(tx, actor, loaded, threadId);
        checkWrite(actor, loaded, thread.audience);
        const changed = await repo.setResolved(tx, thread.id, resolved && actor.kind === 'user' ? actor.userId : null);
        if (resolved !== !!thread.resolvedAt) {
          await recordAudit(tx, {
            actor,
            action: resolved ? 'comment_thread.resolved' : 'comment_thread.reopened',
            entityType: 'comment_thread',
            entityId: thread.id,
            after: threadRecord(thread),
          });
        }
        return changed;
      });
    },

    /** A thread of the assessment that the actor may read; otherwise not found. */
    async threadFor(tx: Database, actor: AssessmentActor, loaded: LoadedAssessment, threadId: string) {
      const thread = isUuid(threadId) ? await repo.findThread(tx, loaded.assessment.id, threadId, true) : undefined;
      if (!thread || !audiencesOf(actor, loaded).read.includes(thread.audience)) throw threadNotFound(threadId);
      return thread;
    },

    /** The KLOE a thread is on (for a page to go back to), when the actor may read it. */
    async kloeOfThread(actor: AssessmentActor, assessmentRef: AssessmentRef, threadId: string) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      return (await this.threadFor(db, actor, loaded, threadId)).kloeRef;
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
