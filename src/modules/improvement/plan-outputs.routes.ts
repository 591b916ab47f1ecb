/**
 * A plan's outputs: kloe-plan/1 JSON (export and all-or-nothing import, in the API and as a page), CSV and
 * Word downloads. The plan page itself prints (its buttons and forms are hidden on paper).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/actor.js';
import { problemSchema } from '../frameworks/frameworks.schemas.js';
import { refuseInvisibleOrganisation } from '../organisations/organisations.hooks.js';
import { routeConfigFor, type PlanAction } from './improvement.policy.js';
import { planParams } from './improvement.schemas.js';
import type { ImprovementService } from './improvement.service.js';
import { planCsv, planDocx } from './plan-documents.js';
import { planHref } from './plan-drafts.service.js';
import { exportPlan, importPlan, parsePlanFile, planExportSchema } from './plan-exchange.js';
import { planJsonSchemaText } from './plan-exchange.json-schema.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const importResponse = z.object({ aims: z.number().int(), actions: z.number().int() });
const importForm = z.object({ document: z.string().trim().min(1, 'Paste the plan file').max(5_000_000) });

/** A file name safe in a header: the service's name in plain letters. */
const fileName = (name: string, ext: string) =>
  `improvement-plan-${name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.${ext}`;

export function registerPlanOutputRoutes(
  app: FastifyInstance,
  deps: { db: Database; improvement: ImprovementService },
) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, improvement } = deps;
  const route = (action: PlanAction) => ({
    preValidation: refuseInvisibleOrganisation,
    config: routeConfigFor(action),
  });
  const api = '/api/organisations/:id/services/:serviceId/plan';
  const page = '/organisations/:id/services/:serviceId/plan';

  routes.get(
    `${api}/export`,
    {
      ...route('view'),
      schema: {
        tags: ['improvement plans'],
        summary: 'The plan in the kloe-plan/1 format (JSON Schema at /api/schemas/kloe-plan.schema.json)',
        params: planParams,
        response: { 200: planExportSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => exportPlan(db, currentUser(request), request.params.id, request.params.serviceId),
  );

  routes.post(
    `${api}/import`,
    {
      ...route('edit'),
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['improvement plans'],
        summary: 'Import a kloe-plan/1 document into the service’s empty plan, all or nothing (409 if it has aims)',
        params: planParams,
        body: planExportSchema,
        response: {
          201: importResponse,
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { id, serviceId } = request.params;
      return reply.status(201).send(await importPlan(db, currentUser(request), id, serviceId, request.body));
    },
  );

  routes.get(
    '/api/schemas/kloe-plan.schema.json',
    {
      config: { access: 'public' },
      schema: { tags: ['improvement plans'], summary: 'JSON Schema of the kloe-plan format' },
    },
    async (_request, reply) => reply.type('application/schema+json').send(planJsonSchemaText()),
  );

  for (const [ext, type] of [
    ['csv', 'text/csv; charset=utf-8'],
    ['docx', DOCX_TYPE],
    ['json', 'application/json; charset=utf-8'],
  ] as const) {
    routes.get(
      `${page}.${ext}`,
      { ...route('view'), schema: { hide: true, params: planParams } },
      async (request, reply) => {
        const actor = currentUser(request);
        const { id, serviceId } = request.params;
        const plan = await improvement.get(actor, id, serviceId);
        const body =
          ext === 'csv'
            ? planCsv(plan)
            : ext === 'docx'
              ? await planDocx(plan)
              : `${JSON.stringify(await exportPlan(db, actor, id, serviceId), null, 2)}\n`;
        return reply
          .type(type)
          .header('content-disposition', `attachment; filename="${fileName(plan.service.name, ext)}"`)
          .send(body);
      },
    );
  }

  async function renderImport(reply: FastifyReply, actor: UserActor, p: z.infer<typeof planParams>, state: FormState) {
    const plan = await improvement.get(actor, p.id, p.serviceId);
    return reply.render('improvement/views/import.njk', {
      ...state,
      section: 'organisations',
      organisation: plan.organisation,
      service: plan.service,
      pageTitle: 'Import a plan file',
      planHref: planHref(p.id, p.serviceId),
      hasAims: plan.aims.length > 0,
      breadcrumbs: [
        { text: 'Organisations', href: '/organisations' },
        { text: plan.organisation.name, href: `/organisations/${p.id}` },
        { text: `Improvement plan: ${plan.service.name}`, href: planHref(p.id, p.serviceId) },
      ],
    });
  }

  routes.get(
    `${page}/import`,
    { ...route('edit'), schema: { hide: true, params: planParams } },
    async (request, reply) => renderImport(reply, currentUser(request), request.params, { values: {} }),
  );

  routes.post(
    `${page}/import`,
    { ...route('edit'), schema: { hide: true, params: planParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: importForm,
        save: async ({ document }) => {
          try {
            let parsed: unknown;
            try {
              parsed = JSON.parse(document);
            } catch {
              throw new AppError('invalid_plan_file', 400, 'Not JSON', [
                { field: 'document', message: 'The plan file is not JSON' },
              ]);
            }
            await importPlan(db, actor, p.id, p.serviceId, parsePlanFile(parsed));
          } catch (error) {
            // Every problem beside the one field the page has, saying where in the file it is.
            if (error instanceof AppError && (error.problems.length > 0 || error.status === 409)) {
              const problems = error.problems.length ? error.problems : [{ field: 'document', message: error.message }];
              throw new AppError(error.code, error.status, error.message, [
                {
                  field: 'document',
                  message: problems
                    .map((x) => (x.field === 'document' ? x.message : `${x.field}: ${x.message}`))
                    .join('; '),
                },
              ]);
            }
            throw error;
          }
          return `${planHref(p.id, p.serviceId)}?done=imported`;
        },
        redisplay: (reply, state) => renderImport(reply, actor, p, state),
      });
    },
  );
}
