/**
 * Requests to the organisation: the assessment's team asks for evidence (what, by when, for which
 * KLOEs); the organisation's members see the open requests of assessments shared with them and answer
 * by uploading, which makes an evidence item and marks the request answered. A request past its date
 * and still open is overdue.
 */
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import {
  allow,
  loadAssessment,
  loadFor,
  resolveAssessment,
  type AssessmentRef,
  type LoadedAssessment,
} from '../assessments/index.js';
import { may, type AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { checkUploads, type Upload } from './evidence-uploads.js';
import { requestAnswered, requestNotFound } from './evidence.errors.js';
import * as repo from './evidence.repository.js';
import type { RequestInput } from './evidence.schemas.js';
import { statementsIn, type EvidenceService } from './evidence.service.js';
import { ukDay } from '../../dates.js';

/** The job, made on a schedule, that marks requests overdue. */
export const OVERDUE_REQUESTS_JOB = 'evidence_request.mark_overdue';
const OVERDUE_ACTOR = { kind: 'system', label: 'overdue evidence requests' } as const;

/** Members of the assessment's organisation answer; so may anyone who may add evidence to it. */
function mayAnswer(actor: AssessmentActor, loaded: LoadedAssessment): boolean {
  if (may(actor, 'judge', loaded.assessment, loaded.teamRole)) return true;
  return (
    actor.kind === 'user' &&
    actor.role === 'organisation_member' &&
    actor.organisationId === loaded.assessment.organisationId &&
    loaded.assessment.status !== 'published'
  );
}

export function createEvidenceRequestsService(deps: {
  db: Database;
  evidence: Pick<EvidenceService, 'insertItem' | 'afterFilesStored'>;
  limits: Parameters<typeof checkUploads>[1];
  /** Tells the requester their request was answered (the notifications module's `notify`); never throws. */
  notify?: (items: { userId: string; kind: 'request_answered'; text: string; href: string }[]) => Promise<void>;
}) {
  const { db, evidence, limits } = deps;

  return {
    async list(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const now = ukDay();
      const requests = (await repo.listRequests(db, loaded.assessment.id)).map((r) => ({
        ...r.request,
        requestedByName: r.requestedByName,
        overdue: r.request.status === 'open' && r.request.dueOn < now,
      }));
      return {
        ...loaded,
        requests,
        canRequest: may(actor, 'judge', loaded.assessment, loaded.teamRole),
        canAnswer: mayAnswer(actor, loaded),
      };
    },

    /**
     * Marks each request that has passed its date unanswered as overdue, once, with an audit entry (the
     * `evidence_request.overdue` webhook event); run on a schedule by the job queue. How many were marked.
     */
    async markOverdue(): Promise<number> {
      return db.transaction(async (tx) => {
        const marked = await repo.markOverdueRequests(tx, ukDay());
        for (const request of marked)
          await recordAudit(tx, {
            actor: OVERDUE_ACTOR,
            action: 'evidence_request.overdue',
            entityType: 'evidence_request',
            entityId: request.id,
            after: { assessmentId: request.assessmentId, what: request.what, dueOn: request.dueOn },
          });
        return marked.length;
      });
    },

    async create(actor: AssessmentActor, assessmentId: string, input: RequestInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        const inScope = new Set((await statementsIn(tx, assessment)).map((k) => k.kloe.ref));
        const unknown = input.kloeRefs.filter((ref) => !inScope.has(ref));
        if (unknown.length > 0) {
          throw new AppError('invalid_request', 400, 'Check the KLOEs', [
            { field: 'kloeRefs', message: `Not KLOEs of this assessment: ${unknown.join(', ')}` },
          ]);
        }
        const request = await repo.insertRequest(tx, {
          assessmentId,
          what: input.what,
          dueOn: input.dueOn,
          kloeRefs: input.kloeRefs,
          requestedBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordAudit(tx, {
          actor,
          action: 'evidence_request.created',
          entityType: 'evidence_request',
          entityId: request.id,
          after: { assessmentId, what: request.what, dueOn: request.dueOn, kloeRefs: request.kloeRefs },
        });
        return request;
      });
    },

    /** The answer becomes an evidence item of the assessment, holding the files, sourced to the answerer. */
    async answer(
      actor: AssessmentActor,
      assessmentId: string,
      requestId: string,
      uploads: Upload[],
      notes?: string | null,
    ) {
      if (uploads.length === 0) {
        throw new AppError('invalid_request', 400, 'Choose at least one file', [
          { field: 'files', message: 'Choose a file to upload' },
        ]);
      }
      const files = await checkUploads(uploads, limits);
      const answered = await db.transaction(async (tx) => {
        const loaded = await loadAssessment(tx, actor, assessmentId, { lock: 'share' });
        if (!mayAnswer(actor, loaded)) allow(actor, 'judge', loaded); // throws the policy's own refusal
        const request = await repo.findRequest(tx, assessmentId, requestId);
        if (!request) throw requestNotFound(requestId);
        if (request.status !== 'open') throw requestAnswered();
        const source = actor.kind === 'user' ? actor.name : actor.label;
        const stored = await evidence.insertItem(
          tx,
          actor,
          assessmentId,
          { title: `Requested: ${request.what.slice(0, 250)}`, kind: 'document', source, notes: notes ?? null },
          files,
        );
        await repo.markAnswered(tx, { assessmentId, requestId }, stored.item.id);
        await recordAudit(tx, {
          actor,
          action: 'evidence_request.answered',
          entityType: 'evidence_request',
          entityId: requestId,
          after: { itemId: stored.item.id, files: files.map((f) => f.name) },
        });
        return { assessment: loaded.assessment, ...stored, request };
      });
      const { assessment, item, created } = answered;
      await evidence.afterFilesStored(assessment, item.id, created);
      const requester = answered.request.requestedBy;
      if (requester && requester !== (actor.kind === 'user' ? actor.userId : null)) {
        await deps.notify?.([
          {
            userId: requester,
            kind: 'request_answered',
            text: `${actor.kind === 'user' ? actor.name : 'The organisation'} answered your evidence request “${answered.request.what.slice(0, 120)}” of ${assessment.title}.`,
            href: `/assessments/${assessmentId}/evidence/${item.id}`,
          },
        ]);
      }
      return item;
    },
  };
}

export type EvidenceRequestsService = ReturnType<typeof createEvidenceRequestsService>;
