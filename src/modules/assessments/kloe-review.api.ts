/** Assignment and review of KLOEs as JSON: the board of every KLOE, assigning one, moving its review on. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, kloeParams } from './assessments.schemas.js';
import { assignBody, assignmentJson, moveBody } from './kloe-review.schemas.js';
import type { KloeReviewService } from './kloe-review.service.js';
import { REVIEW_STATES } from './kloe-review.tables.js';
import { assessmentOf } from './assessments.hooks.js';

const stateJson = z.object({
  kloeRef: z.string(),
  state: z.enum(REVIEW_STATES),
  assigneeId: z.string().nullable(),
  reviewerId: z.string().nullable(),
  dueOn: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.date().nullable(),
  reopenReason: z.string().nullable(),
});
const stateOf = (row: z.infer<typeof stateJson>) => ({
  kloeRef: row.kloeRef,
  state: row.state,
  assigneeId: row.assigneeId,
  reviewerId: row.reviewerId,
  dueOn: row.dueOn,
  reviewedBy: row.reviewedBy,
  reviewedAt: row.reviewedAt,
  reopenReason: row.reopenReason,
});

export function registerKloeReviewApi(app: FastifyInstance, deps: { kloeReview: KloeReviewService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { kloeReview } = deps;
  const tags = ['assessments'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  api.get(
    '/api/assessments/:id/assignments',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary:
          'Every KLOE in scope: its review state (drafting, ready for review, reviewed), who holds and reviews it, when it is due',
        params: assessmentIdParams,
        response: { 200: z.object({ kloes: z.array(assignmentJson) }), 404: problemSchema },
      },
    },
    async (request) => {
      const board = await kloeReview.board(currentUser(request), assessmentOf(request));
      return {
        kloes: board.kloes.map((k) => ({
          kloeRef: k.kloeRef,
          question: k.question,
          state: k.state,
          assignee: k.assignee,
          reviewer: k.reviewer,
          dueOn: k.dueOn,
          overdue: k.overdue,
          reviewedAt: k.reviewedAt,
          reopenReason: k.reopenReason,
          judged: k.judged,
          total: k.total,
        })),
      };
    },
  );

  api.put(
    '/api/assessments/:id/kloes/:ref/assignment',
    {
      config: routeConfigFor('lead'),
      schema: {
        tags,
        summary: 'Assign a KLOE (the lead): who drafts it, who reviews it besides the lead, and by when',
        params: kloeParams,
        body: assignBody,
        response: { 200: stateJson, ...write },
      },
    },
    async (request) =>
      stateOf(await kloeReview.assign(currentUser(request), request.params.id, request.params.ref, request.body)),
  );

  api.post(
    '/api/assessments/:id/kloes/:ref/review',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary:
          'Move a KLOE’s review: to ready_for_review (its holder), reviewed (the lead or its reviewer), or back to drafting with a reason (sending back, reopening). A reviewed KLOE refuses changes to its work.',
        params: kloeParams,
        body: moveBody,
        response: { 200: stateJson, ...write },
      },
    },
    async (request) =>
      stateOf(await kloeReview.move(currentUser(request), request.params.id, request.params.ref, request.body)),
  );
}
