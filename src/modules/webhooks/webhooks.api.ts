/** JSON routes of webhooks, for administrators. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { WEBHOOK_EVENTS } from './webhook-events.js';
import {
  deliveriesQuery,
  deliveryListResponse,
  deliveryParams,
  deliveryResponse,
  endpointParams,
  endpointResponse,
  registerEndpointBody,
  registeredResponse,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

export function registerWebhooksApi(app: FastifyInstance, deps: { webhooks: WebhooksService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps;
  const config = { access: { roles: ['administrator'] as const } };
  const tags = ['webhooks'];

  api.get(
    '/api/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'The registered webhooks, and the events they may ask for',
        response: {
          200: z.object({
            webhooks: z.array(endpointResponse),
            events: z.record(z.string(), z.string()).describe('Each event and what it means'),
          }),
        },
      },
    },
    async () => ({ webhooks: await webhooks.list(), events: WEBHOOK_EVENTS }),
  );

  api.post(
    '/api/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Register an endpoint: its address, and the events to send it; answers the signing secret once',
        body: registerEndpointBody,
        response: { 201: registeredResponse, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await webhooks.register(currentUser(request), request.body)),
  );

  api.get(
    '/api/webhooks/:id',
    { config, schema: { tags, summary: 'One webhook', params: endpointParams, response: { 200: endpointResponse } } },
    async (request) => webhooks.get(request.params.id),
  );

  api.delete(
    '/api/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Remove a webhook and its delivery log',
        params: endpointParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await webhooks.remove(currentUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/webhooks/:id/resume',
    {
      config,
      schema: {
        tags,
        summary: 'Resume a paused webhook: the deliveries that waited are sent',
        params: endpointParams,
        response: { 200: endpointResponse },
      },
    },
    async (request) => webhooks.resume(currentUser(request), request.params.id),
  );

  api.get(
    '/api/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'The delivery log, newest first: each event’s state, attempts and last answer',
        params: endpointParams,
        querystring: deliveriesQuery,
        response: { 200: deliveryListResponse },
      },
    },
    async (request) => webhooks.deliveries(request.params.id, request.query),
  );

  api.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config,
      schema: {
        tags,
        summary: 'Send a delivery again (the same event and webhook-id)',
        params: deliveryParams,
        response: { 200: deliveryResponse },
      },
    },
    async (request) => webhooks.redeliver(currentUser(request), request.params.id, request.params.deliveryId),
  );
}
