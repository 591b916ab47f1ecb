/**
 * A plan's outputs: kloe-plan/1 JSON (export and all-or-nothing import, in the API as a JSON body and on a
 * page as an uploaded file), CSV and Word downloads. The plan page itself prints (its buttons and forms are
 * hidden on paper).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { AppError, type FieldProblem } from '../../errors.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { refuseUnstorableText } from '../../web/storable-text.js';
import { singleFileBytes, type Upload } from '../../files/upload-files.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { routeConfigFor, type PlanAction } from './improvement.policy.js';
import { planParams } from './improvement.schemas.js';
import type { ImprovementService } from './improvement.service.js';
import { planCsv, planDocx } from './plan-documents.js';
import { planHref } from './plan-drafts.service.js';
import { exportPlan, importPlan, parsePlanFile, planExportSchema } from './plan-exchange.js';
import { planJsonSchemaText } from './plan-exchange.json-schema.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const importResponse = z.object({ aims: z.number().int(), actions: z.number().int() });
/** A plan file's size limit, in the API's body and on the page. */
const PLAN_FILE_MAX_BYTES = 5 * 1024 * 1024;
const invalidUpload = (message: string) =>
  new AppError('invalid_plan_file', 400, 'The plan file was not imported: nothing was saved', [
    { field: 'file', message },
  ]);

/** A file name safe in a header: the service's name in plain letters. */
const fileName = (name: string, ext: string) =>
  `improvement-plan-${name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.${ext}`;

export async function registerPlanOutputRoutes(
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
      bodyLimit: PLAN_FILE_MAX_BYTES,
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

  /** The import page: each problem of a refused file listed in the summary, by its place in the file. */
  async function renderImport(
    reply: FastifyReply,
    actor: UserActor,
    p: z.infer<typeof planParams>,
    problems?: FieldProblem[],
  ) {
    const plan = await improvement.get(actor, p.id, p.serviceId);
    const text = (x: FieldProblem) => (x.field === 'file' ? x.message : `${x.field}: ${x.message}`);
    return reply.render('improvement/views/import.njk', {
      section: 'organisations',
      organisation: plan.organisation,
      service: plan.service,
      pageTitle: 'Import a plan file',
      planHref: planHref(p.id, p.serviceId),
      hasAims: plan.aims.length > 0,
      maxMb: PLAN_FILE_MAX_BYTES / 1024 / 1024,
      errors: problems && {
        errorList: problems.map((x) => ({ text: text(x), href: '#file' })),
        fields: {
          file: { text: problems.length === 1 ? text(problems[0]!) : 'The file has problems: see the list above' },
        },
      },
      breadcrumbs: [
        { text: 'Organisations', href: '/organisations' },
        { text: plan.organisation.name, href: `/organisations/${p.id}` },
        { text: `Improvement plan: ${plan.service.name}`, href: planHref(p.id, p.serviceId) },
      ],
    });
  }

  /** The uploaded file as a kloe-plan/1 document; the problems of one that is not, beside the file field. */
  async function planFileOf(uploads: Upload[]) {
    const bytes = await singleFileBytes(uploads);
    if (!bytes) throw invalidUpload('Choose a plan file (kloe-plan/1, JSON) to import');
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw invalidUpload('The file is not JSON: choose a plan file exported by kloe (kloe-plan/1)');
    }
    return parsePlanFile(parsed);
  }

  // The page takes the file as an upload (multipart): only this scope reads such bodies.
  await registerUploadScope(
    app,
    PLAN_FILE_MAX_BYTES,
    (scope) => {
      const pages = scope.withTypeProvider<ZodTypeProvider>();
      // Another organisation's plan is refused before its upload is read (the scope's hooks read it first).
      const importRoute = {
        onRequest: async (request: FastifyRequest) => {
          // The app's text rule runs later (preValidation): a NUL in the address is still a 400, never a 404.
          refuseUnstorableText(request, { params: request.params });
          if (request.actor.kind === 'user') await refuseInvisibleOrganisation(request);
        },
        config: routeConfigFor('edit'),
        schema: { hide: true, params: planParams },
      };
      pages.get(`${page}/import`, importRoute, async (request, reply) =>
        renderImport(reply, currentUser(request), request.params),
      );
      pages.post(`${page}/import`, importRoute, async (request, reply) => {
        const actor = currentUser(request);
        const p = request.params;
        try {
          await importPlan(db, actor, p.id, p.serviceId, await planFileOf(request.uploads));
        } catch (error) {
          if (!(error instanceof AppError) || (error.problems.length === 0 && error.status !== 409)) throw error;
          const problems = error.problems.length > 0 ? error.problems : [{ field: 'file', message: error.message }];
          return renderImport(reply.status(error.status), actor, p, problems);
        }
        return reply.redirect(`${planHref(p.id, p.serviceId)}?done=imported`, 303);
      });
    },
    'file',
  );
}
