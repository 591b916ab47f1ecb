/**
 * Custom report templates over the API: list, upload (multipart/form-data: field `file`, with `name`,
 * `description` and `organisationId`), read, download, delete, and which templates an assessment's
 * report may use. Filling is GET /api/assessments/:id/report?format=docx&template=ID (reports.api.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { routeConfigFor as assessmentRoute } from '../assessments/index.js';
import { assessmentIdParams, assessmentOf } from '../assessments/index.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { MEDIA_TYPES } from '../../files/file-types.js';
import { attachmentHeader, sanitiseFileName } from '../../files/file-names.js';
import { problemSchema } from '../../api/problem-schema.js';
import { routeConfigFor } from './report-templates.policy.js';
import type { TemplateSummary } from './report-templates.repository.js';
import { templateJson, templateListJson, templateParams, templateUploadBody } from './report-templates.schemas.js';
import { TEMPLATE_MAX_BYTES, type ReportTemplatesService } from './report-templates.service.js';

const tags = ['report templates'];
const read = { 400: problemSchema, 404: problemSchema };

export const templateToJson = (t: TemplateSummary) => ({
  id: t.id,
  name: t.name,
  description: t.description,
  organisationId: t.organisationId,
  organisationName: t.organisationName,
  size: t.size,
  sha256: t.sha256,
  placeholders: t.placeholders,
  createdAt: t.createdAt.toISOString(),
  file: `/api/report-templates/${t.id}/file`,
});

/** A template's file as a download named after it. */
export function sendTemplateFile(reply: FastifyReply, file: { summary: TemplateSummary; bytes: Buffer }) {
  return reply
    .header('content-type', MEDIA_TYPES.docx)
    .header('content-disposition', attachmentHeader(sanitiseFileName(`${file.summary.name}.docx`, 'template.docx')))
    .header('etag', `"${file.summary.sha256}"`)
    .send(file.bytes);
}

export async function registerReportTemplatesApi(
  app: FastifyInstance,
  deps: { templates: ReportTemplatesService },
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { templates } = deps;

  api.get(
    '/api/report-templates',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary:
          'The report templates the caller may see: shared ones and their organisation’s (all, for administrators and inspectors)',
        response: { 200: templateListJson },
      },
    },
    async (request) => ({ templates: (await templates.list(currentUser(request))).map(templateToJson) }),
  );

  api.get(
    '/api/report-templates/:templateId',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'One report template',
        params: templateParams,
        response: { 200: templateJson, ...read },
      },
    },
    async (request) => templateToJson(await templates.get(currentUser(request), request.params.templateId)),
  );

  api.get(
    '/api/report-templates/:templateId/file',
    {
      config: routeConfigFor('view'),
      schema: { tags, summary: 'Download the template (DOCX)', params: templateParams, response: read },
    },
    async (request, reply) =>
      sendTemplateFile(reply, await templates.file(currentUser(request), request.params.templateId)),
  );

  api.delete(
    '/api/report-templates/:templateId',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary: 'Delete a template; reports already stored with it stay as they are',
        params: templateParams,
        response: { 204: z.null(), 403: problemSchema, ...read },
      },
    },
    async (request, reply) => {
      await templates.remove(currentUser(request), request.params.templateId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/assessments/:id/report-templates',
    {
      config: assessmentRoute('view'),
      schema: {
        tags,
        summary: 'The templates this assessment’s report may be filled into: shared ones and its organisation’s',
        params: assessmentIdParams,
        response: { 200: templateListJson, ...read },
      },
    },
    async (request) => ({
      templates: (await templates.usableFor(currentUser(request), assessmentOf(request))).map(templateToJson),
    }),
  );

  await registerUploadScope(
    app,
    TEMPLATE_MAX_BYTES,
    (scope) => {
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/report-templates',
        {
          config: routeConfigFor('manage'),
          schema: {
            tags,
            summary: `Upload a DOCX template (multipart/form-data, field \`file\`, up to ${TEMPLATE_MAX_BYTES / 1024 / 1024} MB). Placeholders go between {{ and }}; see docs/report-templates.md. A template with an unknown placeholder or broken syntax is refused (422) naming the placeholder; nothing is kept.`,
            consumes: ['multipart/form-data'],
            body: templateUploadBody,
            response: {
              201: templateJson,
              ...read,
              403: problemSchema,
              413: problemSchema,
              415: problemSchema,
              422: problemSchema,
            },
          },
        },
        async (request, reply) => {
          const created = await templates.create(currentUser(request), request.body, request.uploads);
          return reply.status(201).send(templateToJson(created));
        },
      );
    },
    'file',
  );
}
