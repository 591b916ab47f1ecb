/** The "Performance data" page of an assessment: its analysis snapshots and the KLOE statements they bear on. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/actor.js';
import { routeConfigFor } from '../assessments/assessments.policy.js';
import type { SnapshotsService } from './snapshots.service.js';

const params = z.object({ id: z.uuid() });

export function registerSnapshotRoutes(app: FastifyInstance, deps: { snapshots: SnapshotsService }): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { snapshots } = deps;

  routes.get(
    '/assessments/:id/indicators',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params, querystring: z.object({ done: z.string().max(20).optional() }) },
    },
    async (request, reply) => {
      const { assessment, snapshots: list } = await snapshots.list(currentUser(request), request.params.id);
      return reply.render('indicators/views/snapshots.njk', {
        section: 'assessments',
        pageTitle: `Performance data: ${assessment.title}`,
        breadcrumbs: [
          { text: 'Assessments', href: '/assessments' },
          { text: assessment.title, href: `/assessments/${assessment.id}` },
        ],
        assessment,
        latest: list[0],
        earlier: list.slice(1),
        done: request.query.done,
      });
    },
  );

  routes.post(
    '/assessments/:id/indicators',
    { config: routeConfigFor('judge'), schema: { hide: true, params } },
    async (request, reply) => {
      await snapshots.attach(currentUser(request), request.params.id);
      return reply.redirect(`/assessments/${request.params.id}/indicators?done=attached`, 303);
    },
  );

  routes.get(
    '/api/assessments/:id/indicator-snapshots',
    {
      config: routeConfigFor('view'),
      schema: {
        tags: ['assessments'],
        summary: 'The assessment’s indicator analysis snapshots (kloe-indicator-analysis/1), newest first',
        params,
      },
    },
    async (request) => {
      const { snapshots: list } = await snapshots.list(currentUser(request), request.params.id);
      return { snapshots: list.map((s) => ({ ...s, asOf: s.asOf.toISOString() })) };
    },
  );

  routes.post(
    '/api/assessments/:id/indicator-snapshots',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags: ['assessments'],
        summary: 'Freeze the organisation’s indicator analysis into the assessment, as at now',
        params,
      },
    },
    async (request, reply) => {
      const row = await snapshots.attach(currentUser(request), request.params.id);
      return reply.status(201).send({ id: row.id, asOf: row.asOf.toISOString() });
    },
  );
}
