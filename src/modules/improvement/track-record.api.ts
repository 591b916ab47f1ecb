/** JSON route of a service's track record: its assessments' ratings over time, recommendations' outcomes, indicators. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { statusJson } from './improvement.api.js';
import { routeConfigFor } from './improvement.policy.js';
import { planParams, statusResponse } from './improvement.schemas.js';
import type { TrackRecordService } from './track-record.service.js';

const rating = z.string().nullable();
const trackRecordResponse = z.object({
  organisationId: z.uuid(),
  serviceId: z.uuid(),
  assessments: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      kind: z.string(),
      publishedOn: z.string(),
      overall: rating,
      keyQuestions: z.record(z.string(), rating),
      kloes: z.record(z.string(), rating),
    }),
  ),
  recommendations: z.array(
    z.object({
      id: z.uuid(),
      assessmentId: z.uuid(),
      text: z.string(),
      priority: z.string(),
      outcome: z.enum(['delivered', 'in_progress', 'off_track', 'not_planned']),
      aims: z.array(z.object({ id: z.uuid(), title: z.string() })),
      actions: z.array(
        z.object({ id: z.uuid(), title: z.string(), status: statusResponse, evidenceCount: z.number().int() }),
      ),
    }),
  ),
  indicators: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      from: z.object({ period: z.string(), value: z.number() }),
      latest: z.object({ period: z.string(), value: z.number() }),
      movement: z.enum(['improved', 'declined', 'unchanged', 'no_comparison']),
    }),
  ),
});

export function registerTrackRecordApi(app: FastifyInstance, deps: { trackRecord: TrackRecordService }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/organisations/:id/services/:serviceId/track-record',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: {
        tags: ['improvement plans'],
        summary:
          'The service’s track record: published assessments’ ratings over time, what became of each recommendation, indicators since the last inspection',
        params: planParams,
        response: { 200: trackRecordResponse, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const record = await deps.trackRecord.forService(
        currentUser(request),
        request.params.id,
        request.params.serviceId,
      );
      return {
        organisationId: record.organisation.id,
        serviceId: record.service.id,
        assessments: record.assessments,
        recommendations: record.recommendations.map((r) => ({
          ...r,
          actions: r.actions.map((a) => ({ ...a, status: statusJson(a.status) })),
        })),
        indicators: record.indicators,
      };
    },
  );
}
