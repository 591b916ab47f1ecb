/**
 * JSON routes of progress on a plan: one action with its status, reasons and progress updates; recording
 * progress; setting the status (a reason when it differs from the suggestion); comments on the plan.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { actionJson, commentJson, statusJson } from './improvement.api.js';
import { routeConfigFor } from './improvement.policy.js';
import {
  actionDetailResponse,
  actionParams,
  actionResponse,
  commentBody,
  commentResponse,
  planParams,
  progressBody,
  progressResponse,
  statusBody,
} from './improvement.schemas.js';
import type { ProgressRow } from './progress.repository.js';
import type { ProgressService } from './progress.service.js';

const progressJson = (row: ProgressRow & { authorName?: string | null }) => ({
  id: row.id,
  recordedOn: row.recordedOn,
  note: row.note,
  milestonesReached: row.milestonesReached,
  evidenceItemIds: row.evidenceItemIds,
  authorName: row.authorName ?? null,
  createdAt: row.createdAt.toISOString(),
});

export function registerProgressApi(app: FastifyInstance, deps: { progress: ProgressService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { progress } = deps;
  const tags = ['improvement plans'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  const base = '/api/organisations/:id/services/:serviceId/plan';
  const actionPath = `${base}/aims/:aimId/actions/:actionId`;

  api.get(
    actionPath,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'One action: its status (suggested, and any set by a person with a reason) and its progress updates',
        params: actionParams,
        response: { 200: actionDetailResponse, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const { id, serviceId, aimId, actionId } = request.params;
      const detail = await progress.action(currentUser(request), id, serviceId, aimId, actionId);
      return {
        ...actionJson(detail.action),
        status: statusJson(detail.status),
        progress: detail.progress.map(progressJson),
      };
    },
  );

  api.post(
    `${actionPath}/progress`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Record progress on an action: date, note, milestones reached and the evidence items it rests on',
        params: actionParams,
        body: progressBody,
        response: { 201: progressResponse, ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId, aimId, actionId } = request.params;
      const row = await progress.recordProgress(currentUser(request), id, serviceId, aimId, actionId, request.body);
      return reply.status(201).send(progressJson(row));
    },
  );

  api.put(
    `${actionPath}/status`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary:
          'Set an action’s status at the version read: the suggested one clears any override, another needs a reason',
        params: actionParams,
        body: statusBody,
        response: { 200: actionResponse, ...write },
      },
    },
    async (request) => {
      const { id, serviceId, aimId, actionId } = request.params;
      const user = currentUser(request);
      await progress.setStatus(user, id, serviceId, aimId, actionId, request.body);
      const detail = await progress.action(user, id, serviceId, aimId, actionId);
      return { ...actionJson(detail.action), status: statusJson(detail.status) };
    },
  );

  api.post(
    `${base}/comments`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('comment'),
      schema: {
        tags,
        summary:
          'Comment on the plan, or on one of its actions (inspectors, administrators, the organisation’s members)',
        params: planParams,
        body: commentBody,
        response: { 201: commentResponse, ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId } = request.params;
      const user = currentUser(request);
      const row = await progress.addComment(user, id, serviceId, request.body);
      return reply.status(201).send(commentJson({ comment: row, authorName: user.name }));
    },
  );
}
