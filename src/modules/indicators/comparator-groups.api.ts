/** JSON routes of comparator groups: list, create (type, list or nearest), one group's members, delete. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { comparatorGroupInput } from './comparator-groups.schemas.js';
import type { ComparatorGroupsService } from './comparator-groups.service.js';
import { routeConfigFor } from './indicators.policy.js';

const tags = ['indicators'];
const groupParams = z.object({ groupId: z.uuid() });
const summary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  organisationType: z.string().nullable(),
  memberCount: z.number(),
});
const organisation = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  attributes: z.record(z.string(), z.number()),
});
const detail = summary.extend({
  attributes: z.array(z.string()),
  anchor: organisation.optional(),
  members: z.array(organisation.extend({ distance: z.number().nullable() })),
});

export function registerComparatorGroupsApi(app: FastifyInstance, deps: { groups: ComparatorGroupsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { groups } = deps;

  api.get(
    '/api/indicators/comparator-groups',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Every comparator group, by name',
        response: { 200: z.object({ groups: z.array(summary) }) },
      },
    },
    async () => ({ groups: await groups.list() }),
  );

  api.post(
    '/api/indicators/comparator-groups',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary:
          'Create a comparator group (administrators and inspectors): kind "type" with organisationType, "list" with organisations (ids or codes, at least 2) or "nearest" with anchor and size',
        body: comparatorGroupInput,
        response: { 201: detail, 400: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const created = await groups.create(currentUser(request), request.body);
      return reply.status(201).send(detail.parse(await groups.get(currentUser(request), created.id)));
    },
  );

  api.get(
    '/api/indicators/comparator-groups/:groupId',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'A comparator group with its members; a nearest group with the attributes compared and distances',
        params: groupParams,
        response: { 200: detail, 404: problemSchema },
      },
    },
    async (request) => detail.parse(await groups.get(currentUser(request), request.params.groupId)),
  );

  api.delete(
    '/api/indicators/comparator-groups/:groupId',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary: 'Delete a comparator group',
        params: groupParams,
        response: { 204: z.null(), 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await groups.remove(currentUser(request), request.params.groupId);
      return reply.status(204).send(null);
    },
  );
}
