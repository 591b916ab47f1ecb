/**
 * The forms to add and change an organisation's services (administrators, or members of that
 * organisation). Each redirects to the organisation with a success banner; the change form also shows
 * the service's audit history.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser } from '../accounts/index.js';
import { common, HISTORY_LIMIT, LIST_CRUMB, organisationCrumb, type PageDeps } from './organisations.page-context.js';
import { routeConfigFor } from './organisations.policy.js';
import type { OrganisationRow } from './organisations.repository.js';
import { createServiceBody, organisationIdParams, serviceIdParams } from './organisations.schemas.js';

export function registerServicePages(app: FastifyInstance, deps: PageDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { organisations } = deps;

  /** The service form; changing a service also shows its history (whoever may change it may see that). */
  async function renderServiceForm(
    reply: FastifyReply,
    organisation: OrganisationRow,
    serviceId: string | undefined,
    state: FormState,
  ) {
    const base = `/organisations/${organisation.id}/services`;
    return reply.render('organisations/views/service-form.njk', {
      ...common,
      ...state,
      pageTitle: serviceId ? 'Change a service' : 'Add a service',
      organisation,
      action: serviceId ? `${base}/${serviceId}/edit` : `${base}/new`,
      breadcrumbs: [LIST_CRUMB, organisationCrumb(organisation)],
      history: serviceId ? await deps.audit.historyOf('service', serviceId, { limit: HISTORY_LIMIT }) : undefined,
    });
  }

  pages.get(
    '/organisations/:id/services/new',
    { config: routeConfigFor('manageServices'), schema: { hide: true, params: organisationIdParams } },
    async (request, reply) => {
      const organisation = await organisations.getFor(currentUser(request), request.params.id, 'manageServices');
      return renderServiceForm(reply, organisation, undefined, { values: {} });
    },
  );

  pages.post(
    '/organisations/:id/services/new',
    { config: routeConfigFor('manageServices'), schema: { hide: true, params: organisationIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const organisation = await organisations.getFor(actor, request.params.id, 'manageServices');
      return handleFormPost(reply, {
        body: request.body,
        schema: createServiceBody,
        save: async (data) => {
          await organisations.createService(actor, organisation.id, data);
          return `/organisations/${organisation.id}?done=service-added`;
        },
        redisplay: (reply, state) => renderServiceForm(reply, organisation, undefined, state),
      });
    },
  );

  pages.get(
    '/organisations/:id/services/:serviceId/edit',
    { config: routeConfigFor('manageServices'), schema: { hide: true, params: serviceIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const organisation = await organisations.getFor(actor, request.params.id, 'manageServices');
      const service = await organisations.getService(actor, organisation.id, request.params.serviceId);
      return renderServiceForm(reply, organisation, service.id, {
        values: { name: service.name, description: service.description ?? '' },
      });
    },
  );

  pages.post(
    '/organisations/:id/services/:serviceId/edit',
    { config: routeConfigFor('manageServices'), schema: { hide: true, params: serviceIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const organisation = await organisations.getFor(actor, request.params.id, 'manageServices');
      const service = await organisations.getService(actor, organisation.id, request.params.serviceId);
      return handleFormPost(reply, {
        // The form always posts both fields, so the whole service is checked as when it was added.
        body: request.body,
        schema: createServiceBody,
        save: async (data) => {
          await organisations.updateService(actor, organisation.id, service.id, data);
          return `/organisations/${organisation.id}?done=service-updated`;
        },
        redisplay: (reply, state) => renderServiceForm(reply, organisation, service.id, state),
      });
    },
  );
}
