/**
 * Administrators' pages of webhooks: the list with a form to register one, and each webhook's page with its
 * signing secret, its delivery log with "Send again", resuming a paused one and removing it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser } from '../accounts/index.js';
import { WEBHOOK_EVENTS } from './webhook-events.js';
import { deliveryParams, endpointParams, registerEndpointForm } from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const config = { access: { roles: ['administrator'] as const } };
const hide = { hide: true };
const doneQuery = z.object({ done: z.enum(['created', 'resent', 'resumed', 'deleted']).optional() });
const CRUMB = { text: 'Webhooks', href: '/admin/webhooks' };
const events = Object.entries(WEBHOOK_EVENTS).map(([value, text]) => ({ value, text: `${value}: ${text}` }));

export function registerWebhookPages(app: FastifyInstance, deps: { webhooks: WebhooksService }): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps;

  async function renderList(reply: FastifyReply, state: FormState, done?: string) {
    return reply.render('webhooks/views/webhooks.njk', {
      ...state,
      pageTitle: 'Webhooks',
      section: 'webhooks',
      webhooks: await webhooks.list(),
      events,
      done,
    });
  }

  pages.get('/admin/webhooks', { config, schema: { ...hide, querystring: doneQuery } }, async (request, reply) =>
    renderList(reply, { values: {} }, request.query.done),
  );

  pages.post('/admin/webhooks', { config, schema: hide }, async (request, reply) =>
    handleFormPost(reply, {
      body: request.body,
      schema: registerEndpointForm,
      save: async (input) =>
        `/admin/webhooks/${(await webhooks.register(currentUser(request), input)).id}?done=created`,
      redisplay: (reply, state) => renderList(reply, state),
    }),
  );

  pages.get(
    '/admin/webhooks/:id',
    { config, schema: { ...hide, params: endpointParams, querystring: doneQuery } },
    async (request, reply) => {
      const webhook = await webhooks.withSecret(request.params.id);
      const log = await webhooks.deliveries(webhook.id, { limit: 50, offset: 0 });
      return reply.render('webhooks/views/webhook.njk', {
        pageTitle: `Webhook to ${webhook.url}`,
        section: 'webhooks',
        breadcrumbs: [CRUMB],
        webhook,
        log,
        done: request.query.done,
      });
    },
  );

  pages.post(
    '/admin/webhooks/:id/resume',
    { config, schema: { ...hide, params: endpointParams } },
    async (request, reply) => {
      await webhooks.resume(currentUser(request), request.params.id);
      return reply.redirect(`/admin/webhooks/${request.params.id}?done=resumed`, 303);
    },
  );

  pages.post(
    '/admin/webhooks/:id/delete',
    { config, schema: { ...hide, params: endpointParams } },
    async (request, reply) => {
      await webhooks.remove(currentUser(request), request.params.id);
      return reply.redirect('/admin/webhooks?done=deleted', 303);
    },
  );

  pages.post(
    '/admin/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config, schema: { ...hide, params: deliveryParams } },
    async (request, reply) => {
      await webhooks.redeliver(currentUser(request), request.params.id, request.params.deliveryId);
      return reply.redirect(`/admin/webhooks/${request.params.id}?done=resent`, 303);
    },
  );
}
