/**
 * Pages of comparator groups under Indicators: the list with a form to create a group (every provider of
 * a type, a list of codes, or an organisation's nearest neighbours), a group's members with their
 * attributes and distances, and deleting a group after asking.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser } from '../accounts/index.js';
import { NAMED_ATTRIBUTES } from '../organisations/index.js';
import { ORGANISATION_TYPE_LABELS } from '../organisations/index.js';
import { ORGANISATION_TYPES } from '../../db/schema.js';
import { comparatorGroupForm, MAX_NEIGHBOURS } from './comparator-groups.schemas.js';
import type { ComparatorGroupsService } from './comparator-groups.service.js';
import { mayManage, routeConfigFor } from './indicators.policy.js';
import { NEIGHBOURS } from './indicators.service.js';

const groupParams = z.object({ groupId: z.uuid() });
const doneQuery = z.object({ done: z.enum(['created', 'deleted']).optional() });
const LIST_CRUMB = { text: 'Indicators', href: '/indicators' };
const GROUPS_CRUMB = { text: 'Comparator groups', href: '/indicators/comparator-groups' };
const common = {
  section: 'indicators',
  typeLabels: ORGANISATION_TYPE_LABELS,
  types: ORGANISATION_TYPES,
  attributeLabels: Object.fromEntries(NAMED_ATTRIBUTES.map((a) => [a.key, a.label])),
  kindLabels: { type: 'Every provider of a type', list: 'A list of organisations', nearest: 'Nearest neighbours' },
  maxNeighbours: MAX_NEIGHBOURS,
};

export function registerComparatorGroupPages(app: FastifyInstance, deps: { groups: ComparatorGroupsService }) {
  const { groups } = deps;
  const pages = app.withTypeProvider<ZodTypeProvider>();

  async function renderList(reply: FastifyReply, manage: boolean, state: FormState, done?: string) {
    return reply.render('indicators/views/comparator-groups.njk', {
      ...common,
      ...state,
      pageTitle: 'Comparator groups',
      breadcrumbs: [LIST_CRUMB],
      groups: await groups.list(),
      mayManage: manage,
      done,
    });
  }

  pages.get(
    '/indicators/comparator-groups',
    { config: routeConfigFor('view'), schema: { hide: true, querystring: doneQuery } },
    async (request, reply) =>
      renderList(reply, mayManage(currentUser(request)), { values: { size: String(NEIGHBOURS) } }, request.query.done),
  );

  pages.post(
    '/indicators/comparator-groups',
    { config: routeConfigFor('manage'), schema: { hide: true } },
    async (request, reply) =>
      handleFormPost(reply, {
        body: request.body,
        schema: comparatorGroupForm,
        save: async (input) => {
          const created = await groups.create(currentUser(request), input);
          return `/indicators/comparator-groups/${created.id}?done=created`;
        },
        redisplay: (reply, state) => renderList(reply, true, state),
      }),
  );

  pages.get(
    '/indicators/comparator-groups/:groupId',
    { config: routeConfigFor('view'), schema: { hide: true, params: groupParams, querystring: doneQuery } },
    async (request, reply) => {
      const group = await groups.get(currentUser(request), request.params.groupId);
      return reply.render('indicators/views/comparator-group.njk', {
        ...common,
        pageTitle: `${group.name}: comparator group`,
        breadcrumbs: [LIST_CRUMB, GROUPS_CRUMB],
        group,
        /** The attributes shown beside each member: those compared, or every named one for other kinds. */
        shownAttributes: group.kind === 'nearest' ? group.attributes : NAMED_ATTRIBUTES.map((a) => a.key),
        mayManage: mayManage(currentUser(request)),
        done: request.query.done,
      });
    },
  );

  pages.get(
    '/indicators/comparator-groups/:groupId/delete',
    { config: routeConfigFor('manage'), schema: { hide: true, params: groupParams } },
    async (request, reply) => {
      const group = await groups.get(currentUser(request), request.params.groupId);
      return reply.render('indicators/views/comparator-group-delete.njk', {
        ...common,
        pageTitle: `Delete ${group.name}: comparator group`,
        breadcrumbs: [
          LIST_CRUMB,
          GROUPS_CRUMB,
          { text: group.name, href: `/indicators/comparator-groups/${group.id}` },
        ],
        group,
      });
    },
  );

  pages.post(
    '/indicators/comparator-groups/:groupId/delete',
    { config: routeConfigFor('manage'), schema: { hide: true, params: groupParams } },
    async (request, reply) => {
      await groups.remove(currentUser(request), request.params.groupId);
      return reply.redirect('/indicators/comparator-groups?done=deleted', 303);
    },
  );
}
