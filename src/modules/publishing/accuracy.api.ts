/** The factual accuracy check as JSON: read it, send the draft, comment on a section, answer a comment. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { assessmentOf, routeConfigFor } from '../assessments/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { answerBody, checkJson, commentBody, commentParams, sendCheckBody } from './accuracy.schemas.js';
import type { AccuracyService } from './accuracy.service.js';

export function registerAccuracyApi(app: FastifyInstance, deps: { accuracy: AccuracyService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accuracy } = deps;
  const tags = ['factual accuracy'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  const url = '/api/assessments/:id/factual-accuracy';

  api.get(
    url,
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The factual accuracy check of an inspection’s draft report: deadline, comments and answers',
        params: assessmentIdParams,
        response: { 200: checkJson, 404: problemSchema },
      },
    },
    async (request) => (await accuracy.get(currentUser(request), assessmentOf(request))).check,
  );

  api.put(
    url,
    {
      config: routeConfigFor('lead'),
      schema: {
        tags,
        summary:
          'Send the draft report to the organisation for factual accuracy comments until a deadline (or change it); the inspection is shared with the organisation and its members are notified. The lead only',
        params: assessmentIdParams,
        body: sendCheckBody,
        response: { 200: z.object({ deadline: z.string(), sentAt: z.date() }), ...write },
      },
    },
    async (request) => {
      const check = await accuracy.send(currentUser(request), request.params.id, request.body);
      return { deadline: check.deadline, sentAt: check.sentAt };
    },
  );

  api.post(
    `${url}/comments`,
    {
      config: { access: { roles: ['organisation_member'] } },
      schema: {
        tags,
        summary:
          'Comment on the factual accuracy of one section ("summary", a key question or a KLOE) until the deadline; the organisation’s members only',
        params: assessmentIdParams,
        body: commentBody,
        response: { 201: z.object({ id: z.uuid() }), ...write },
      },
    },
    async (request, reply) => {
      const comment = await accuracy.comment(currentUser(request), request.params.id, request.body);
      return reply.status(201).send({ id: comment.id });
    },
  );

  api.post(
    `${url}/comments/:commentId/answer`,
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary:
          'Answer a factual accuracy comment: accepted, changed, or not accepted (with the reason); the team, until published',
        params: commentParams,
        body: answerBody,
        response: { 200: z.object({ id: z.uuid(), response: z.string(), answeredAt: z.date().nullable() }), ...write },
      },
    },
    async (request) => {
      const { id, commentId } = request.params;
      const c = await accuracy.answer(currentUser(request), id, commentId, request.body);
      return { id: c.id, response: c.response!, answeredAt: c.answeredAt };
    },
  );
}
