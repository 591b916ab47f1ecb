/** The report of an assessment in each format, as a download: for the API and the report page's links. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { assessmentOf, routeConfigFor } from '../assessments/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { executiveSummaryBody, executiveSummaryResponse } from './executive-summary.schemas.js';
import type { ExecutiveSummaryService } from './executive-summary.service.js';
import { REPORT_FORMAT_NAMES, type ReportFile, type ReportsService } from './reports.service.js';

const format = z.enum(REPORT_FORMAT_NAMES as [string, ...string[]], {
  error: `Choose a format: ${REPORT_FORMAT_NAMES.join(', ')}`,
});

/** A custom template's id (format docx only); empty, as a form's "built-in" choice sends it, means none. */
export const templateChoice = z
  .union([z.literal(''), z.uuid()], { error: 'Not a template id' })
  .optional()
  .transform((value) => value || undefined);

export function sendReportFile(reply: FastifyReply, file: ReportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('etag', `"${file.sha256}"`)
    .header('x-kloe-report', file.stored ? 'stored' : 'draft')
    .send(file.bytes);
}

export function registerReportsApi(
  app: FastifyInstance,
  deps: { reports: ReportsService; executiveSummaries: ExecutiveSummaryService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { reports, executiveSummaries } = deps;

  api.get(
    '/api/assessments/:id/executive-summary',
    {
      config: routeConfigFor('view'),
      schema: {
        tags: ['assessments'],
        summary: 'The executive summary of the report (empty text when none has been written).',
        params: assessmentIdParams,
        response: { 200: executiveSummaryResponse, 404: problemSchema },
      },
    },
    async (request) => {
      const { text, updatedAt } = await executiveSummaries.get(currentUser(request), assessmentOf(request));
      return { text, updatedAt };
    },
  );

  api.put(
    '/api/assessments/:id/executive-summary',
    {
      config: routeConfigFor('lead'),
      schema: {
        tags: ['assessments'],
        summary:
          'Writes the executive summary shown first in the report: paragraphs separated by blank lines; empty text removes it. Only the lead, until the assessment is published. Audited.',
        params: assessmentIdParams,
        body: executiveSummaryBody,
        response: {
          200: executiveSummaryResponse,
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => executiveSummaries.save(currentUser(request), request.params.id, request.body),
  );

  api.get(
    '/api/assessments/:id/report',
    {
      config: routeConfigFor('view'),
      schema: {
        tags: ['assessments'],
        summary:
          'The report as a file: html, docx, pdf, json (kloe-assessment/1), ratings.csv or findings.csv; with format=docx and template=ID, filled into that custom template (see GET /api/assessments/{id}/report-templates). A published assessment’s report is stored when first made (per template) and the same file is served every time (ETag: its SHA-256); a draft is made afresh.',
        params: assessmentIdParams,
        querystring: z.object({ format, template: templateChoice }),
        response: { 400: problemSchema, 404: problemSchema, 422: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) =>
      sendReportFile(
        reply,
        await reports.file(currentUser(request), assessmentOf(request), request.query.format as never, {
          template: request.query.template,
        }),
      ),
  );
}
