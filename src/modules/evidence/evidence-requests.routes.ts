/**
 * Requests to the organisation, as JSON (tag `evidence`) and as a page of the assessment's Evidence tab:
 * the team asks (what, by when, which KLOEs); organisation members answer by uploading.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formRefusal, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import type { AssessmentsService } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import type { EvidenceRequestsService } from './evidence-requests.service.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { parseDateForm } from '../../web/date-input-fields.js';
import { assessmentParams, requestBody, requestParams } from './evidence.schemas.js';

const requestJson = z.object({
  id: z.uuid(),
  what: z.string(),
  dueOn: z.string(),
  kloeRefs: z.array(z.string()),
  status: z.enum(['open', 'answered']),
  overdue: z.boolean(),
  answerItemId: z.uuid().nullable(),
});
type RequestView = z.infer<typeof requestJson>;
const toJson = (r: RequestView): RequestView => ({
  id: r.id,
  what: r.what,
  dueOn: r.dueOn,
  kloeRefs: r.kloeRefs,
  status: r.status,
  overdue: r.overdue,
  answerItemId: r.answerItemId,
});

const answerFields = z.object({ notes: z.string().trim().max(20_000).optional() });

export async function registerEvidenceRequestRoutes(
  app: FastifyInstance,
  deps: { requests: EvidenceRequestsService; assessments: Pick<AssessmentsService, 'summary'>; maxBytes: number },
): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { requests } = deps;
  const tags = ['evidence'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  routes.get(
    '/api/assessments/:id/evidence-requests',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Requests for evidence to the organisation, soonest due first, with which are overdue',
        params: assessmentParams,
        response: { 200: z.object({ requests: z.array(requestJson) }), 404: problemSchema },
      },
    },
    async (request) => ({
      requests: (await requests.list(currentUser(request), assessmentOf(request))).requests.map(toJson),
    }),
  );

  routes.post(
    '/api/assessments/:id/evidence-requests',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Ask the organisation for evidence: what, by when, for which KLOEs',
        params: assessmentParams,
        body: requestBody,
        response: { 201: requestJson, ...write },
      },
    },
    async (request, reply) => {
      const created = await requests.create(currentUser(request), request.params.id, request.body);
      return reply.status(201).send(toJson({ ...created, overdue: false }));
    },
  );

  async function renderPage(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: { values?: Record<string, unknown>; errors?: FormErrors; done?: string; answering?: string },
  ) {
    const [data, summary] = await Promise.all([requests.list(actor, loaded), deps.assessments.summary(actor, loaded)]);
    return reply.render('evidence/views/requests.njk', {
      ...common,
      pageTitle: `Evidence requests: ${data.assessment.title}`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(data.assessment),
        { text: 'Evidence', href: `/assessments/${data.assessment.id}/evidence` },
      ],
      header: { ...summary.assessment, organisationName: summary.organisationName, serviceName: summary.serviceName },
      ...data,
      values: state.values ?? {},
      errors: state.errors,
      answering: state.answering,
      done: state.done,
    });
  }

  const refusal = (error: unknown) => {
    const refused = formRefusal(error);
    if (!refused) throw error;
    return refused;
  };

  routes.get(
    '/assessments/:id/evidence/requests',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentParams, querystring: z.object({ done: z.string().max(40).optional() }) },
    },
    async (request, reply) =>
      renderPage(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  routes.post(
    '/assessments/:id/evidence/requests',
    { config: routeConfigFor('judge'), schema: { hide: true, params: assessmentParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      const values = withoutCsrf(request.body);
      try {
        await requests.create(actor, id, parseDateForm(requestBody, values, { dueOn: 'The date it is needed by' }));
        return reply.redirect(`/assessments/${id}/evidence/requests?done=requested`, 303);
      } catch (error) {
        const { status, errors } = refusal(error);
        return renderPage(reply.status(status), actor, assessmentOf(request), { values, errors });
      }
    },
  );

  await registerUploadScope(app, deps.maxBytes, (scope) => {
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    uploads.post(
      '/api/assessments/:id/evidence-requests/:requestId/answer',
      {
        config: routeConfigFor('judge'),
        schema: {
          tags,
          summary: 'Answer a request by uploading files (multipart/form-data, field `files`, repeatable; `notes`)',
          consumes: ['multipart/form-data'],
          params: requestParams,
          body: answerFields,
          response: { 201: z.object({ itemId: z.uuid() }), ...write, 413: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        const { id, requestId } = request.params;
        const item = await requests.answer(currentUser(request), id, requestId, request.uploads, request.body.notes);
        return reply.status(201).send({ itemId: item.id });
      },
    );
    uploads.post(
      '/assessments/:id/evidence/requests/:requestId/answer',
      { config: routeConfigFor('judge'), schema: { hide: true, params: requestParams } },
      async (request, reply) => {
        const actor = currentUser(request);
        const { id, requestId } = request.params;
        try {
          const fields = answerFields.parse(request.body ?? {});
          await requests.answer(actor, id, requestId, request.uploads, fields.notes);
          return reply.redirect(`/assessments/${id}/evidence/requests?done=answered`, 303);
        } catch (error) {
          const { status, errors } = refusal(error);
          return renderPage(reply.status(status), actor, assessmentOf(request), { errors, answering: requestId });
        }
      },
    );
  });
}
