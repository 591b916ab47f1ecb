/**
 * HTML pages of organisations: the list (search and type filter in a GET form), one organisation with
 * its context, services and audit history (to those the policy lets see it), and the forms to add and
 * change one. Every form posts back to its own address and redirects to the organisation with a success
 * banner (?done=…).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { hrefWithQuery, paginationFor } from '../../web/pagination.js';
import { currentUser } from '../accounts/index.js';
import { attributeRows, NAMED_ATTRIBUTES } from './organisation-attributes.js';
import { knownAttributes, organisationForm, organisationFormValues } from './organisations.forms.js';
import { common, HISTORY_LIMIT, LIST_CRUMB, organisationCrumb, type PageDeps } from './organisations.page-context.js';
import { mayCreate, permissionsOn, routeConfigFor } from './organisations.policy.js';
import type { OrganisationRow } from './organisations.repository.js';
import { listFilters, organisationIdParams } from './organisations.schemas.js';
import { registerServicePages } from './services.pages.js';

const PAGE_SIZE = 50;
const listPageQuery = listFilters.extend({ page: z.coerce.number().int().min(1).default(1) });
const organisationPageQuery = z.object({ done: z.string().max(40).optional() });

/** The organisations' pages, and their services' (services.pages.ts). */
export function registerOrganisationPages(app: FastifyInstance, deps: PageDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { organisations } = deps;

  pages.get(
    '/organisations',
    { config: routeConfigFor('view'), schema: { hide: true, querystring: listPageQuery } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { q, type, page } = request.query;
      const { rows, total } = await organisations.list(actor, {
        q,
        type,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      return reply.render('organisations/views/list.njk', {
        ...common,
        pageTitle: 'Organisations',
        organisations: rows,
        total,
        filters: { q, type },
        filtered: q !== undefined || type !== undefined,
        mayCreate: mayCreate(actor),
        pagination: paginationFor({
          page,
          pageSize: PAGE_SIZE,
          total,
          hrefFor: (n) => hrefWithQuery('/organisations', { q, type, page: n }),
        }),
      });
    },
  );

  function renderOrganisationForm(reply: FastifyReply, organisation: OrganisationRow | undefined, state: FormState) {
    return reply.render('organisations/views/organisation-form.njk', {
      ...common,
      ...state,
      pageTitle: organisation ? `Change ${organisation.name}` : 'Add an organisation',
      action: organisation ? `/organisations/${organisation.id}/edit` : '/organisations/new',
      submitText: organisation ? 'Save changes' : 'Add organisation',
      cancelHref: organisation ? `/organisations/${organisation.id}` : '/organisations',
      breadcrumbs: organisation ? [LIST_CRUMB, organisationCrumb(organisation)] : [LIST_CRUMB],
      namedAttributes: NAMED_ATTRIBUTES,
    });
  }

  pages.get(
    '/organisations/new',
    { config: routeConfigFor('create'), schema: { hide: true } },
    async (_request, reply) => renderOrganisationForm(reply, undefined, { values: {} }),
  );

  pages.post(
    '/organisations/new',
    { config: routeConfigFor('create'), schema: { hide: true } },
    async (request, reply) =>
      handleFormPost(reply, {
        body: request.body,
        schema: organisationForm,
        save: async (data) => {
          const created = await organisations.create(currentUser(request), {
            ...data,
            attributes: knownAttributes(data.attributes),
          });
          return `/organisations/${created.id}?done=created`;
        },
        redisplay: (reply, state) => renderOrganisationForm(reply, undefined, state),
      }),
  );

  pages.get(
    '/organisations/:id',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: organisationIdParams, querystring: organisationPageQuery },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const organisation = await organisations.get(actor, request.params.id);
      const can = permissionsOn(actor, organisation.id);
      return reply.render('organisations/views/organisation.njk', {
        ...common,
        pageTitle: organisation.name,
        breadcrumbs: [LIST_CRUMB],
        organisation,
        attributes: attributeRows(organisation.attributes),
        services: await organisations.listServices(actor, organisation.id),
        can,
        history: can.viewHistory
          ? await deps.audit.historyOf('organisation', organisation.id, { limit: HISTORY_LIMIT })
          : undefined,
        done: request.query.done,
      });
    },
  );

  pages.get(
    '/organisations/:id/edit',
    { config: routeConfigFor('update'), schema: { hide: true, params: organisationIdParams } },
    async (request, reply) => {
      const organisation = await organisations.getFor(currentUser(request), request.params.id, 'update');
      return renderOrganisationForm(reply, organisation, {
        values: organisationFormValues(organisation),
      });
    },
  );

  pages.post(
    '/organisations/:id/edit',
    { config: routeConfigFor('update'), schema: { hide: true, params: organisationIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const organisation = await organisations.getFor(actor, request.params.id, 'update');
      return handleFormPost(reply, {
        body: request.body,
        schema: organisationForm,
        save: async (data) => {
          await organisations.update(actor, organisation.id, data);
          return `/organisations/${organisation.id}?done=updated`;
        },
        redisplay: (reply, state) => renderOrganisationForm(reply, organisation, state),
      });
    },
  );

  registerServicePages(app, deps);
}
