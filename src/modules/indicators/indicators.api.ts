/**
 * JSON routes of indicators: definitions, importing a file (multipart, field "file"), and an
 * organisation's analysis as a `kloe-indicator-analysis/1` document or as CSV.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import { currentUser } from '../accounts/index.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { singleFileBytes } from '../../files/upload-files.js';
import { problemSchema } from '../../api/problem-schema.js';
import { analysisCsv } from './analysis-csv.js';
import { MAX_UPLOAD_BYTES } from './indicators.pages.js';
import { routeConfigFor } from './indicators.policy.js';
import { indicatorInput } from './indicators.schemas.js';
import type { IndicatorsService } from './indicators.service.js';

const tags = ['indicators'];
const indicatorResponse = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  polarity: z.string(),
  target: z.number().nullable(),
  category: z.string(),
  serviceArea: z.string(),
  periodType: z.string(),
});
const organisationParams = z.object({ id: z.uuid() });
const groupQuery = z.object({ group: z.uuid().optional() });
const importResponse = z.object({
  rows: z.number(),
  added: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  recompute: z
    .object({
      indicators: z.number(),
      window: z.number(),
      durationMs: z.number(),
      failed: z
        .array(z.object({ indicatorId: z.string(), code: z.string(), message: z.string() }))
        .describe('Indicators whose results could not be recomputed; the import itself has committed'),
    })
    .optional()
    .describe('The recompute when the import made it itself (the command line); a server leaves it to a job'),
  recalculating: z
    .boolean()
    .describe(
      'True while the figures are being recalculated by a background job: analyses show the previous figures until GET /api/indicators/status says recalculating false',
    ),
});
const statusResponse = z.object({
  values: z.number().describe('Values held'),
  window: z.number().describe('Periods the trends are worked over'),
  lastRecomputedAt: z.iso.datetime().nullable().describe('When the results were last recomputed'),
  behind: z.number().describe('Indicators whose results are behind their values or the trend window'),
  recalculating: z.boolean().describe('True while results are behind and a recompute job waits or runs'),
});

export async function registerIndicatorsApi(
  app: FastifyInstance,
  deps: { indicators: IndicatorsService },
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { indicators } = deps;
  const pick = (row: z.infer<typeof indicatorResponse>) => indicatorResponse.parse(row);

  api.get(
    '/api/indicators',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Every indicator definition, by code',
        response: { 200: z.object({ indicators: z.array(indicatorResponse) }) },
      },
    },
    async () => ({ indicators: (await indicators.listIndicators()).map(pick) }),
  );

  api.post(
    '/api/indicators',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary: 'Define an indicator (administrators and inspectors)',
        body: indicatorInput,
        response: { 201: indicatorResponse, 400: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(pick(await indicators.createIndicator(currentUser(request), request.body))),
  );

  api.get(
    '/api/indicators/status',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The state of the indicator data: values held, and whether the figures are being recalculated',
        response: { 200: statusResponse },
      },
    },
    async () => {
      const { values, window, lastRecompute, behind, recalculating } = await indicators.status();
      return { values, window, lastRecomputedAt: lastRecompute?.at.toISOString() ?? null, behind, recalculating };
    },
  );

  api.get(
    '/api/indicators/organisations/:id/analysis',
    {
      config: routeConfigFor('analyse'),
      schema: {
        tags,
        summary: 'An organisation’s analysis (format kloe-indicator-analysis/1); ?group= picks a comparator group',
        params: organisationParams,
        querystring: groupQuery,
        response: { 200: z.looseObject({ format: z.literal('kloe-indicator-analysis/1') }), 404: problemSchema },
      },
    },
    async (request) => ({
      ...(await indicators.analysis(currentUser(request), request.params.id, { groupId: request.query.group })),
    }),
  );

  api.get(
    '/api/indicators/organisations/:id/analysis.csv',
    {
      config: routeConfigFor('analyse'),
      schema: { tags, summary: 'The analysis table as CSV', params: organisationParams, querystring: groupQuery },
    },
    async (request, reply) => {
      const analysis = await indicators.analysis(currentUser(request), request.params.id, {
        groupId: request.query.group,
      });
      return reply.type('text/csv; charset=utf-8').send(analysisCsv(analysis));
    },
  );

  // Received to disk, a few uploads at a time, like every upload (evidence.multipart.ts).
  await registerUploadScope(
    app,
    MAX_UPLOAD_BYTES,
    (scope) => {
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/indicators/import',
        {
          config: routeConfigFor('manage'),
          schema: {
            tags,
            summary:
              'Import values from a CSV or XLSX file (multipart field "file"); all or nothing, every bad row listed',
            consumes: ['multipart/form-data'],
            response: { 200: importResponse, 400: problemSchema },
          },
        },
        async (request) => {
          const file = await singleFileBytes(request.uploads);
          if (!file)
            throw badRequest('invalid_request', 'Send the file as the multipart field "file"', [
              { field: 'file', message: 'Send the file as the multipart field "file"' },
            ]);
          return indicators.importFile(currentUser(request), file);
        },
      );
    },
    'file',
  );
}
