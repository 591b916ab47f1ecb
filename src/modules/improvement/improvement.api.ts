/**
 * JSON routes of a service's improvement plan: read it (with its quality flags), add and change aims and
 * actions. Each route demands the roles the policy gives its action; the organisation is checked by the
 * service, which answers 404 for a plan the caller may not see.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { routeConfigFor } from './improvement.policy.js';
import type { ActionRow, AimRow } from './improvement.repository.js';
import type { ActionStatusView } from './plan-status.js';
import type { CommentRow } from './progress.repository.js';
import type { commentResponse } from './improvement.schemas.js';
import {
  actionBody,
  actionParams,
  actionResponse,
  aimBody,
  aimParams,
  aimResponse,
  assessmentParams,
  deleteQuery,
  draftResponse,
  planParams,
  planResponse,
  updateActionBody,
  updateAimBody,
} from './improvement.schemas.js';
import type { ImprovementService } from './improvement.service.js';
import type { PlanDraftsService } from './plan-drafts.service.js';

/** A status as the API gives it: without the suggestion's inner workings. */
export const statusJson = ({ detail: _detail, ...status }: ActionStatusView) => status;

export function actionJson(
  row: ActionRow & { ownerName?: string | null; status?: ActionStatusView },
): z.infer<typeof actionResponse> {
  const { id, position, title, ownerId, startDate, dueDate, resources, milestones, measures, dependsOn, version } = row;
  return {
    id,
    position,
    title,
    ownerId,
    ownerName: row.ownerName ?? null,
    startDate,
    dueDate,
    resources,
    milestones,
    measures,
    dependsOn,
    ...(row.status ? { status: statusJson(row.status) } : {}),
    version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function commentJson(row: { comment: CommentRow; authorName: string | null }): z.infer<typeof commentResponse> {
  const { id, actionId, body, createdAt } = row.comment;
  return { id, actionId, body, authorName: row.authorName, createdAt: createdAt.toISOString() };
}

export function aimJson(row: AimRow, actions: ActionRow[] = []): z.infer<typeof aimResponse> {
  const { id, position, title, description, kloeRefs, recommendationIds, version } = row;
  return {
    id,
    position,
    title,
    description,
    kloeRefs,
    recommendationIds,
    version,
    updatedAt: row.updatedAt.toISOString(),
    actions: actions.map(actionJson),
  };
}

export function registerImprovementApi(
  app: FastifyInstance,
  deps: { improvement: ImprovementService; drafts: PlanDraftsService },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { improvement, drafts } = deps;
  const tags = ['improvement plans'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  const base = '/api/organisations/:id/services/:serviceId/plan';

  api.get(
    base,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The service’s improvement plan: aims, their actions, and plain-language quality flags',
        params: planParams,
        response: { 200: planResponse, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const { organisation, service, aims, flags, comments } = await improvement.get(
        currentUser(request),
        request.params.id,
        request.params.serviceId,
      );
      return {
        organisationId: organisation.id,
        serviceId: service.id,
        aims: aims.map((aim) => aimJson(aim, aim.actions)),
        flags,
        comments: comments.map(commentJson),
      };
    },
  );

  api.post(
    `${base}/aims`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Add an aim, linked to KLOEs of the framework and recommendations made to the service',
        params: planParams,
        body: aimBody,
        response: { 201: aimResponse, ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId } = request.params;
      const row = await improvement.createAim(currentUser(request), id, serviceId, request.body);
      return reply.status(201).send(aimJson(row));
    },
  );

  api.put(
    `${base}/aims/:aimId`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Change an aim at the version read (409 with the current version if changed since)',
        params: aimParams,
        body: updateAimBody,
        response: { 200: aimResponse, ...write },
      },
    },
    async (request) => {
      const { id, serviceId, aimId } = request.params;
      return aimJson(await improvement.updateAim(currentUser(request), id, serviceId, aimId, request.body));
    },
  );

  api.post(
    `${base}/aims/:aimId/actions`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Add an action to an aim: owner, dates, milestones, resources and indicator measures',
        params: aimParams,
        body: actionBody,
        response: { 201: actionResponse, ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId, aimId } = request.params;
      const row = await improvement.createAction(currentUser(request), id, serviceId, aimId, request.body);
      return reply.status(201).send(actionJson(row));
    },
  );

  api.put(
    `${base}/aims/:aimId/actions/:actionId`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Change an action at the version read (409 with the current version if changed since)',
        params: actionParams,
        body: updateActionBody,
        response: { 200: actionResponse, ...write },
      },
    },
    async (request) => {
      const { id, serviceId, aimId, actionId } = request.params;
      const user = currentUser(request);
      return actionJson(await improvement.updateAction(user, id, serviceId, aimId, actionId, request.body));
    },
  );

  api.delete(
    `${base}/aims/:aimId`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary:
          'Delete an aim and its actions at the version read (409 if changed since, or if another aim’s action depends on one)',
        params: aimParams,
        querystring: deleteQuery,
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId, aimId } = request.params;
      await improvement.deleteAim(currentUser(request), id, serviceId, aimId, request.query.version);
      return reply.status(204).send(null);
    },
  );

  api.delete(
    `${base}/aims/:aimId/actions/:actionId`,
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary: 'Delete an action at the version read (409 if changed since, or if another action depends on it)',
        params: actionParams,
        querystring: deleteQuery,
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      const { id, serviceId, aimId, actionId } = request.params;
      const user = currentUser(request);
      await improvement.deleteAction(user, id, serviceId, aimId, actionId, request.query.version);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/assessments/:id/plan-drafts',
    {
      config: routeConfigFor('edit'),
      schema: {
        tags,
        summary:
          'Draft an aim in the service’s plan for each recommendation (and self-assessment area for improvement) not drafted before',
        params: assessmentParams,
        response: { 200: draftResponse, ...write },
      },
    },
    async (request) => drafts.draftFromAssessment(currentUser(request), request.params.id),
  );
}
