/**
 * The report page (the report itself, printable, with download links in every format), the downloads
 * behind those links, and the stylesheet the report page uses.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import type { AssessmentsService } from '../assessments/index.js';
import { executiveSummaryBody } from './executive-summary.schemas.js';
import type { ExecutiveSummaryService } from './executive-summary.service.js';
import type { ReportTemplatesService } from './report-templates.service.js';
import { sendReportFile, templateChoice } from './reports.api.js';
import { REPORT_CSS } from './report.css.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, type ReportFormat, type ReportsService } from './reports.service.js';

export function registerReportPages(
  app: FastifyInstance,
  deps: {
    reports: ReportsService;
    assessments: AssessmentsService;
    templates: ReportTemplatesService;
    executiveSummaries: ExecutiveSummaryService;
  },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { reports, assessments, templates, executiveSummaries } = deps;

  pages.get('/reports/report.css', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(REPORT_CSS),
  );

  async function renderReport(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: FormState & { done?: string | undefined },
  ) {
    const [body, summary, usable, executive] = await Promise.all([
      reports.pageBody(actor, loaded),
      assessments.summary(actor, loaded),
      templates.usableFor(actor, loaded),
      executiveSummaries.get(actor, loaded),
    ]);
    const { assessment, organisationName, serviceName } = summary;
    return reply.render('reports/views/report-page.njk', {
      ...common,
      pageTitle: `Report: ${assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment,
      header: { ...assessment, organisationName, serviceName },
      report: { draft: body.draft },
      reportBody: body.html,
      executive: { writable: executive.writable, text: state.values.text ?? executive.text },
      errors: state.errors,
      done: state.done,
      formats: REPORT_FORMAT_NAMES.map((f) => ({ ext: REPORT_FORMATS[f].ext, text: REPORT_FORMATS[f].text })),
      templateItems: [{ value: '', text: 'Built-in report (default)' }].concat(
        usable.map((t) => ({ value: t.id, text: t.organisationName ? t.name : `${t.name} (shared)` })),
      ),
    });
  }

  pages.get(
    '/assessments/:id/report',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentIdParams, querystring: z.object({ done: z.string().optional() }) },
    },
    async (request, reply) =>
      renderReport(reply, currentUser(request), assessmentOf(request), { values: {}, done: request.query.done }),
  );

  pages.post(
    '/assessments/:id/report/executive-summary',
    { config: routeConfigFor('lead'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: executiveSummaryBody,
        save: async (data) => {
          await executiveSummaries.save(actor, id, data);
          return `/assessments/${id}/report?done=summary#executive-summary-form`;
        },
        redisplay: (reply, state) => renderReport(reply, actor, assessmentOf(request), state),
      });
    },
  );

  pages.get(
    '/assessments/:id/report.:format',
    {
      config: routeConfigFor('view'),
      schema: {
        hide: true,
        params: assessmentIdParams.extend({ format: z.enum(REPORT_FORMAT_NAMES as [string, ...string[]]) }),
        querystring: z.object({ template: templateChoice }),
      },
    },
    async (request, reply) =>
      sendReportFile(
        reply,
        await reports.file(currentUser(request), assessmentOf(request), request.params.format as ReportFormat, {
          template: request.query.template,
        }),
      ),
  );
}
