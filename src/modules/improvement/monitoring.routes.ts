/**
 * Monitoring plans across organisations: the JSON operation, the page with its filters, and the CSV the
 * page offers (the same filters). Administrators see every plan; inspectors those of the organisations they
 * inspect.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { statusJson } from './improvement.api.js';
import { routeConfigFor } from './improvement.policy.js';
import { statusResponse } from './improvement.schemas.js';
import { CONCERN_LABELS, CONCERNS, type MonitoringService } from './monitoring.service.js';

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const filtersQuery = z.object({
  organisationId: z.preprocess(blankAsUndefined, z.uuid({ error: 'Not an organisation id' }).optional()),
  serviceId: z.preprocess(blankAsUndefined, z.uuid({ error: 'Not a service id' }).optional()),
  kloeRef: z.preprocess(blankAsUndefined, z.string().max(20).optional()),
  concern: z.preprocess(blankAsUndefined, z.enum(CONCERNS, { error: 'Not a concern' }).optional()),
});

const monitoringResponse = z.object({
  today: z.string(),
  actions: z.array(
    z.object({
      organisationId: z.uuid(),
      organisationName: z.string(),
      serviceId: z.uuid(),
      serviceName: z.string(),
      aimTitle: z.string(),
      kloeRefs: z.array(z.string()),
      actionId: z.uuid(),
      actionTitle: z.string(),
      ownerName: z.string().nullable(),
      dueDate: z.string().nullable(),
      status: statusResponse,
      concerns: z.array(z.enum(CONCERNS)),
    }),
  ),
});

export function registerMonitoringRoutes(app: FastifyInstance, deps: { monitoring: MonitoringService }) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { monitoring } = deps;
  const config = routeConfigFor('monitor');

  routes.get(
    '/api/plans/monitoring',
    {
      config,
      schema: {
        tags: ['improvement plans'],
        summary:
          'Actions that are off track, overdue or missed a target: every plan (administrators), plans of organisations inspected (inspectors)',
        querystring: filtersQuery,
        response: { 200: monitoringResponse, 400: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const { rows, today } = await monitoring.list(currentUser(request), request.query);
      return { today, actions: rows.map((r) => ({ ...r, status: statusJson(r.status) })) };
    },
  );

  routes.get(
    '/plans/monitoring',
    { config, schema: { hide: true, querystring: filtersQuery } },
    async (request, reply) => {
      const { rows, options, today } = await monitoring.list(currentUser(request), request.query);
      const query = new URLSearchParams(
        Object.entries(request.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ).toString();
      return reply.render('improvement/views/monitoring.njk', {
        section: 'monitoring',
        pageTitle: 'Improvement plan monitoring',
        rows,
        options,
        today,
        filters: request.query,
        concernLabels: CONCERN_LABELS,
        csvHref: `/plans/monitoring.csv${query ? `?${query}` : ''}`,
      });
    },
  );

  routes.get(
    '/plans/monitoring.csv',
    { config, schema: { hide: true, querystring: filtersQuery } },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="plan-monitoring.csv"')
        .send(await monitoring.csv(currentUser(request), request.query)),
  );
}
