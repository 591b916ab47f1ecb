/**
 * The factual accuracy check of an inspection: the lead sends the draft report to the organisation (which
 * shares the inspection with it, and tells its members) with a deadline; the organisation's members comment
 * section by section (the summary, a key question, a KLOE) until the end of that day; the team answers each
 * comment (accepted, changed, or not accepted with a reason). Publishing waits for the deadline and for every
 * answer unless the lead records why it should not (`accuracyPublishCheck`). Every step is audited. The
 * exchange stays with the assessment and in its export; it is never part of the report.
 */
import type { Database } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { isUuid } from '../../db/ids.js';
import {
  loadAssessment,
  loadFor,
  resolveAssessment,
  type AssessmentRef,
  type LoadedAssessment,
} from '../assessments/index.js';
import { keyQuestionsInScope, kloesInScope, pinnedFramework } from '../assessments/index.js';
import { assessmentPublished } from '../assessments/index.js';
import { may, type AssessmentActor } from '../assessments/index.js';
import type { PublishCheck } from '../assessments/index.js';
import { listTeam, updateAssessment } from '../assessments/index.js';
import { organisationMembers } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { plainDate, ukDay } from '../../dates.js';
import type { Notify } from '../notifications/index.js';
import * as repo from './accuracy.repository.js';
import type { AnswerInput, CommentInput, SendCheckInput } from './accuracy.schemas.js';

export const SUMMARY_SECTION = 'summary';

/** Refused as the state of the check stands; `field` is the form field a page shows the message beside. */
const refused = (message: string, field: string) =>
  new AppError('accuracy_check_refused', 409, message, [{ field, message }]);
const commentNotFound = (id: string) =>
  notFound('accuracy_comment_not_found', `No factual accuracy comment with id "${id}"`);

/** The sections the organisation may comment on, in report order. */
async function sectionsOf(db: Database, loaded: LoadedAssessment) {
  const doc = await pinnedFramework(db, loaded.assessment.frameworkVersionId);
  const { scope } = loaded.assessment;
  return [
    { id: SUMMARY_SECTION, title: 'Summary judgement' },
    ...keyQuestionsInScope(doc, scope).map((kq) => ({ id: kq.ref, title: `Key question ${kq.ref}: ${kq.title}` })),
    ...kloesInScope(doc, scope).map((leaf) => ({
      id: leaf.kloe.ref,
      title: `KLOE ${leaf.kloe.ref}: ${leaf.kloe.question}`,
    })),
  ];
}

/** What stands in the way of publishing now, in words; undefined when nothing does. */
export async function accuracyBlocker(db: Database, assessmentId: string): Promise<string | undefined> {
  const check = await repo.findCheck(db, assessmentId);
  if (!check) return undefined;
  const unanswered = await repo.countUnanswered(db, assessmentId);
  const problems = [
    ...(unanswered > 0
      ? [`${unanswered} factual accuracy comment${unanswered === 1 ? ' is' : 's are'} not answered`]
      : []),
    ...(ukDay() <= check.deadline
      ? [`the organisation may comment on factual accuracy until ${plainDate(check.deadline)}`]
      : []),
  ];
  return problems.length > 0 ? problems.join(' and ') : undefined;
}

/** The check the assessments service asks before it publishes; an overriding reason is kept with the check. */
export const accuracyPublishCheck: PublishCheck = {
  blocker: accuracyBlocker,
  async overridden(tx, assessmentId, reason) {
    await repo.setPublishedDespite(tx, assessmentId, reason);
  },
};

export function createAccuracyService(deps: { db: Database; notify?: Notify }) {
  const { db, notify } = deps;

  function checkInspection(loaded: LoadedAssessment) {
    if (loaded.assessment.kind !== 'inspection') {
      throw refused(
        'Only an inspection’s draft report is checked for factual accuracy by the organisation',
        'deadline',
      );
    }
  }

  return {
    /** The check, its comments and the sections, for whoever may see the assessment. */
    async get(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const [check, rows, sections] = await Promise.all([
        repo.findCheck(db, loaded.assessment.id),
        repo.listComments(db, loaded.assessment.id),
        sectionsOf(db, loaded),
      ]);
      const titles = new Map(sections.map((s) => [s.id, s.title]));
      const { assessment } = loaded;
      const open = !!check && assessment.status !== 'published' && ukDay() <= check.deadline;
      const isMember =
        actor.kind === 'user' &&
        actor.role === 'organisation_member' &&
        actor.organisationId === assessment.organisationId;
      return {
        loaded,
        check: {
          sent: !!check,
          deadline: check?.deadline ?? null,
          message: check?.message ?? null,
          sentAt: check?.sentAt ?? null,
          open,
          unanswered: rows.filter((r) => r.comment.response === null).length,
          publishedDespite: check?.publishedDespite ?? null,
          sections,
          comments: rows.map((r) => ({
            id: r.comment.id,
            section: r.comment.section,
            sectionTitle: titles.get(r.comment.section) ?? r.comment.section,
            body: r.comment.body,
            authorName: r.authorName,
            createdAt: r.comment.createdAt,
            response: r.comment.response,
            responseText: r.comment.responseText,
            answeredByName: r.answeredByName,
            answeredAt: r.comment.answeredAt,
          })),
        },
        can: {
          send:
            assessment.kind === 'inspection' &&
            assessment.status !== 'published' &&
            assessment.status !== 'planning' &&
            may(actor, 'lead', assessment, loaded.teamRole),
          comment: open && isMember,
          answer: !!check && may(actor, 'judge', assessment, loaded.teamRole),
        },
      };
    },

    /** Sends the draft (or changes the deadline of one sent): shares the inspection, tells every member. */
    async send(actor: AssessmentActor, id: string, input: SendCheckInput) {
      const done = await db.transaction(async (tx) => {
        const loaded = await loadFor(tx, actor, id, 'lead');
        checkInspection(loaded);
        const { assessment } = loaded;
        if (assessment.status === 'published') throw assessmentPublished();
        if (assessment.status === 'planning') {
          throw refused('Send the draft report once fieldwork has started', 'deadline');
        }
        if (input.deadline < ukDay()) throw refused('The deadline must be today or later', 'deadline');
        const before = await repo.findCheck(tx, id);
        if (!assessment.sharedWithOrganisation) {
          await updateAssessment(tx, id, assessment.version, { sharedWithOrganisation: true });
        }
        const check = await repo.saveCheck(tx, {
          assessmentId: id,
          deadline: input.deadline,
          message: input.message ?? null,
          sentBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordAudit(tx, {
          actor,
          action: before ? 'accuracy_check.changed' : 'accuracy_check.sent',
          entityType: 'assessment',
          entityId: id,
          before: before ? { deadline: before.deadline, message: before.message } : null,
          after: { deadline: check.deadline, message: check.message, sharedWithOrganisation: true },
        });
        return { loaded, check, members: await organisationMembers(tx, assessment.organisationId) };
      });
      await notify?.(
        done.members.map((m) => ({
          userId: m.userId,
          kind: 'accuracy_check' as const,
          text: `The draft report of ${done.loaded.assessment.title} is ready for your factual accuracy comments until ${plainDate(done.check.deadline)}`,
          href: `/assessments/${id}/factual-accuracy`,
          key: `accuracy:${id}:${done.check.deadline}`,
        })),
      );
      return done.check;
    },

    /** A member of the organisation comments on one section, while the check is open; the lead is told. */
    async comment(actor: AssessmentActor, id: string, input: CommentInput) {
      if (actor.kind !== 'user') throw new AppError('forbidden', 403, 'Only a person may comment');
      const done = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, id, { lock: 'share' });
        const { assessment } = loaded;
        if (actor.role !== 'organisation_member' || actor.organisationId !== assessment.organisationId) {
          throw new AppError('forbidden', 403, 'Only the organisation’s members comment on factual accuracy');
        }
        const check = await repo.findCheck(tx, id);
        if (!check) throw refused('The draft report has not been sent for factual accuracy comments', 'body');
        if (assessment.status === 'published') throw assessmentPublished();
        if (ukDay() > check.deadline) {
          throw refused(`The deadline for comments was ${plainDate(check.deadline)}`, 'body');
        }
        const sections = await sectionsOf(tx, loaded);
        const section = sections.find((s) => s.id === input.section);
        if (!section) {
          throw new AppError('invalid_request', 400, 'Check the section', [
            { field: 'section', message: `${input.section} is not a section of this report` },
          ]);
        }
        const comment = await repo.insertComment(tx, {
          assessmentId: id,
          section: section.id,
          body: input.body,
          authorId: actor.userId,
        });
        await recordAudit(tx, {
          actor,
          action: 'accuracy_check.commented',
          entityType: 'assessment',
          entityId: id,
          after: { commentId: comment.id, section: comment.section, body: comment.body },
        });
        return { loaded, comment, section };
      });
      const lead = done.loaded.assessment;
      const leadId = (await listTeam(db, id)).find((m) => m.role === 'lead')?.userId;
      if (leadId) {
        await notify?.([
          {
            userId: leadId,
            kind: 'accuracy_comment',
            text: `${actor.name} commented on the factual accuracy of ${done.section.title} in ${lead.title}`,
            href: `/assessments/${id}/factual-accuracy#comment-${done.comment.id}`,
          },
        ]);
      }
      return done.comment;
    },

    /** The team answers a comment (and may answer it again until the assessment is published). */
    async answer(actor: AssessmentActor, id: string, commentId: string, input: AnswerInput) {
      if (input.response === 'not_accepted' && !input.text) {
        throw new AppError('invalid_request', 400, 'Say why it is not accepted', [
          { field: 'text', message: 'Say why the comment is not accepted' },
        ]);
      }
      const done = await db.transaction(async (tx) => {
        const loaded = await loadFor(tx, actor, id, 'judge');
        const before = isUuid(commentId) ? await repo.findComment(tx, id, commentId) : undefined;
        if (!before) throw commentNotFound(commentId);
        const after = await repo.answerComment(tx, commentId, {
          response: input.response,
          responseText: input.text ?? null,
          answeredBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordAudit(tx, {
          actor,
          action: 'accuracy_check.answered',
          entityType: 'assessment',
          entityId: id,
          before: { commentId, response: before.response, text: before.responseText },
          after: { commentId, response: after.response, text: after.responseText },
        });
        return { loaded, comment: after };
      });
      if (actor.kind === 'user' && done.comment.authorId !== actor.userId) {
        await notify?.([
          {
            userId: done.comment.authorId,
            kind: 'accuracy_answered',
            text: `${actor.name} answered your factual accuracy comment on ${done.loaded.assessment.title}`,
            href: `/assessments/${id}/factual-accuracy#comment-${commentId}`,
          },
        ]);
      }
      return done.comment;
    },
  };
}

export type AccuracyService = ReturnType<typeof createAccuracyService>;
