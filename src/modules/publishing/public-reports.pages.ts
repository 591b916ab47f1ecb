/**
 * Public reports without sign-in (`/public/...`, each route declared `access: 'public'`): the index searchable
 * by organisation and overall rating, a report's page, its HTML and PDF, and the open ratings data (CSV and
 * JSON). And, signed in, the page where the lead or an administrator makes a published inspection public or
 * withdraws it with a notice.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUuid } from '../../db/ids.js';
import { spreadsheetCsv } from '../../files/spreadsheet-csv.js';
import { handleFormPost } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import { sendReportFile } from '../reports/index.js';
import { PUBLIC_FORMATS } from '../reports/index.js';
import { OPEN_DATA_COLUMNS, withdrawBody } from './public-reports.schemas.js';
import { publicReportNotFound, PublicReportWithdrawn, type PublicReportsService } from './public-reports.service.js';

const PUBLIC = { access: 'public' } as const;
const publicIdParams = z.object({ id: z.string() });
const checkedId = (id: string) => {
  if (!isUuid(id)) throw publicReportNotFound(id);
  return id;
};

export function registerPublicReportPages(app: FastifyInstance, deps: { publicReports: PublicReportsService }): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { publicReports } = deps;
  const publicCommon = { section: 'public' };

  pages.get(
    '/public/reports',
    {
      config: PUBLIC,
      schema: {
        hide: true,
        querystring: z.object({
          organisation: z.string().trim().max(200).optional(),
          rating: z.string().trim().max(50).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { organisation, rating } = request.query;
      const reports = await publicReports.index({
        organisation: organisation || undefined,
        rating: rating || undefined,
      });
      const all = reports.length > 0 || (!organisation && !rating) ? reports : await publicReports.index({});
      const scale = all[0]?.scale ?? [];
      return reply.render('publishing/views/public-index.njk', {
        ...publicCommon,
        pageTitle: 'Published inspection reports',
        reports,
        query: { organisation: organisation ?? '', rating: rating ?? '' },
        ratingItems: [{ value: '', text: 'Any rating' }].concat(
          scale.map((l) => ({ value: l.id, text: l.label, selected: l.id === rating })),
        ),
      });
    },
  );

  pages.get(
    '/public/reports/:id',
    { config: PUBLIC, schema: { hide: true, params: publicIdParams } },
    async (request, reply) => {
      const id = checkedId(request.params.id);
      try {
        const report = await publicReports.page(id);
        return reply.render('publishing/views/public-report.njk', {
          ...publicCommon,
          pageTitle: `${report.row.organisationName}: ${report.row.serviceName}`,
          report,
          breadcrumbs: [{ text: 'Published inspection reports', href: '/public/reports' }],
        });
      } catch (error) {
        if (!(error instanceof PublicReportWithdrawn)) throw error;
        return reply.status(404).render('publishing/views/public-withdrawn.njk', {
          ...publicCommon,
          pageTitle: 'This report has been withdrawn',
          row: error.report,
          notice: error.notice,
        });
      }
    },
  );

  pages.get(
    '/public/reports/:id/report.:format',
    { config: PUBLIC, schema: { hide: true, params: publicIdParams.extend({ format: z.enum(PUBLIC_FORMATS) }) } },
    async (request, reply) =>
      sendReportFile(reply, await publicReports.file(checkedId(request.params.id), request.params.format)),
  );

  pages.get('/public/ratings.csv', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => {
    const rows = await publicReports.openData();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="kloe-public-ratings.csv"')
      .send(
        spreadsheetCsv(
          OPEN_DATA_COLUMNS,
          rows.map((r) => OPEN_DATA_COLUMNS.map((c) => r[c])),
          { bom: true },
        ),
      );
  });

  pages.get('/public/ratings.json', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) => {
    const rows = await publicReports.openData();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .send({ format: 'kloe-public-ratings/1', columns: OPEN_DATA_COLUMNS, ratings: rows });
  });

  // Signed in: make public, withdraw.
  async function renderManage(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: { values: Record<string, unknown>; errors?: unknown; done?: string },
  ) {
    const status = await publicReports.status(actor, loaded);
    const { assessment, organisationName, serviceName } = status.loaded;
    return reply.render('publishing/views/public-manage.njk', {
      ...common,
      pageTitle: `Public report: ${assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment,
      header: { ...assessment, organisationName, serviceName },
      status,
      values: state.values,
      errors: state.errors,
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/public',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentIdParams, querystring: z.object({ done: z.string().optional() }) },
    },
    async (request, reply) =>
      renderManage(reply, currentUser(request), assessmentOf(request), { values: {}, done: request.query.done }),
  );

  const manage = { access: { roles: ['administrator', 'inspector'] as const } };
  pages.post(
    '/assessments/:id/public',
    { config: manage, schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: z.object({}),
        save: async () => {
          await publicReports.makePublic(actor, id);
          return `/assessments/${id}/public?done=public`;
        },
        redisplay: (reply, state) => renderManage(reply, actor, assessmentOf(request), state),
      });
    },
  );

  pages.post(
    '/assessments/:id/public/withdraw',
    { config: manage, schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: withdrawBody,
        save: async (data) => {
          await publicReports.withdraw(actor, id, data.notice);
          return `/assessments/${id}/public?done=withdrawn`;
        },
        redisplay: (reply, state) => renderManage(reply, actor, assessmentOf(request), state),
      });
    },
  );
}
