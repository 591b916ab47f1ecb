/**
 * JSON routes of the assessment exchange format (kloe-assessment/1): export one assessment the caller
 * may see as a file, and import one (administrators), all or nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { currentUser } from '../accounts/index.js';
import type { EvidenceStorage } from '../evidence/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { exportAssessment } from './assessment-export.js';
import { assessmentExportSchema } from './assessment-export.schema.js';
import { importAssessment } from './assessment-import.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams } from './assessments.schemas.js';
import { assessmentOf } from './assessments.hooks.js';

export interface AssessmentExportApiDeps {
  db: Database;
  /** Evidence files: read for an export with withFiles=true, stored by an import carrying them. */
  storage: EvidenceStorage;
}

const exportQuery = z.object({
  /** Carry every evidence file's bytes (base64) in the document, not only its SHA-256. */
  withFiles: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

const importQuery = z.object({
  /** Import under new ids, as a copy, even when the document's assessment exists here. */
  asNew: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

const importResponse = z.object({
  id: z.uuid(),
  seriesId: z.uuid(),
  revision: z.number().int(),
  title: z.string(),
  counts: z.record(z.string(), z.number().int()),
});

export function registerAssessmentExportApi(app: FastifyInstance, deps: AssessmentExportApiDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db, storage } = deps;
  const tags = ['assessments'];

  api.get(
    '/api/assessments/:id/export',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The assessment as a kloe-assessment/1 document, to download or import elsewhere',
        params: assessmentIdParams,
        querystring: exportQuery,
        response: { 200: assessmentExportSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const document = await exportAssessment(db, currentUser(request), assessmentOf(request), {
        readFile: request.query.withFiles ? (sha256) => storage.read(sha256) : undefined,
      });
      return reply
        .header('content-disposition', `attachment; filename="assessment-${document.assessment.id}.json"`)
        .send(document);
    },
  );

  api.post(
    '/api/assessments/import',
    {
      // Not an action on an existing assessment, so not one of the policy's: restoring one is for administrators.
      config: { access: { roles: ['administrator'] } },
      schema: {
        tags,
        summary:
          'Restore an assessment from a kloe-assessment/1 document, all or nothing (409 if its id exists here unless asNew=true)',
        querystring: importQuery,
        body: assessmentExportSchema,
        response: { 201: importResponse, 400: problemSchema, 403: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await importAssessment(db, currentUser(request), request.body, { asNew: request.query.asNew, storage })),
  );
}
