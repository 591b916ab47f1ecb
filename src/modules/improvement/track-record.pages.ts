/** The page of a service's track record in delivering improvement (key question 4). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../accounts/index.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { routeConfigFor } from './improvement.policy.js';
import { planParams } from './improvement.schemas.js';
import type { TrackRecordService } from './track-record.service.js';

export function registerTrackRecordPages(app: FastifyInstance, deps: { trackRecord: TrackRecordService }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/organisations/:id/services/:serviceId/track-record',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: { hide: true, params: planParams },
    },
    async (request, reply) => {
      const record = await deps.trackRecord.forService(
        currentUser(request),
        request.params.id,
        request.params.serviceId,
      );
      return reply.render('improvement/views/track-record.njk', {
        section: 'organisations',
        pageTitle: `Track record: ${record.service.name}`,
        ...record,
        breadcrumbs: [
          { text: 'Organisations', href: '/organisations' },
          { text: record.organisation.name, href: `/organisations/${record.organisation.id}` },
        ],
      });
    },
  );
}
