/** JSON routes of an assessment's recommendations. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams } from './assessments.schemas.js';
import type { RecommendationRow } from './recommendations.repository.js';
import {
  recommendationBody,
  recommendationParams,
  recommendationResponse,
  updateRecommendationBody,
} from './recommendations.schemas.js';
import type { RecommendationsService } from './recommendations.service.js';
import { assessmentOf } from './assessments.hooks.js';

export function recommendationJson(row: RecommendationRow): z.infer<typeof recommendationResponse> {
  const { id, position, text, priority, outcome, kloeRefs, areas, version } = row;
  return { id, position, text, priority, outcome, kloeRefs, areas, version, updatedAt: row.updatedAt.toISOString() };
}

export function registerRecommendationsApi(app: FastifyInstance, deps: { recommendations: RecommendationsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recommendations } = deps;
  const tags = ['assessments'];
  const read = { 400: problemSchema, 404: problemSchema };
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  api.get(
    '/api/assessments/:id/recommendations',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The assessment’s recommendations, in order',
        params: assessmentIdParams,
        response: { 200: z.object({ recommendations: z.array(recommendationResponse) }), ...read },
      },
    },
    async (request) => ({
      recommendations: (await recommendations.list(currentUser(request), assessmentOf(request))).map(
        recommendationJson,
      ),
    }),
  );

  api.post(
    '/api/assessments/:id/recommendations',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Record a recommendation, linked to KLOEs and areas for improvement (not once published)',
        params: assessmentIdParams,
        body: recommendationBody,
        response: { 201: recommendationResponse, ...write },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(recommendationJson(await recommendations.create(currentUser(request), request.params.id, request.body))),
  );

  api.put(
    '/api/assessments/:id/recommendations/:recommendationId',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Change a recommendation at the version read (409 if changed since)',
        params: recommendationParams,
        body: updateRecommendationBody,
        response: { 200: recommendationResponse, ...write },
      },
    },
    async (request) => {
      const { id, recommendationId } = request.params;
      return recommendationJson(await recommendations.update(currentUser(request), id, recommendationId, request.body));
    },
  );

  api.delete(
    '/api/assessments/:id/recommendations/:recommendationId',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Remove a recommendation',
        params: recommendationParams,
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      await recommendations.remove(currentUser(request), request.params.id, request.params.recommendationId);
      return reply.status(204).send(null);
    },
  );
}
