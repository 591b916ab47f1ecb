/** JSON routes of the framework catalogue. Reading is public: the framework text is published material. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FRAMEWORK_SCHEMA_FILE, frameworkJsonSchemaText } from './framework.json-schema.js';
import { countFramework } from './framework.tree.js';
import {
  frameworkIdParams,
  frameworkListResponse,
  frameworkVersionResponse,
  versionListResponse,
  versionQuery,
} from './frameworks.schemas.js';
import { problemSchema } from '../../api/problem-schema.js';
import type { FrameworksService } from './frameworks.service.js';

export function registerFrameworkApi(app: FastifyInstance, deps: { frameworks: FrameworksService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { frameworks } = deps;

  api.get(
    '/api/frameworks',
    {
      config: { access: 'public' },
      schema: { tags: ['frameworks'], summary: 'List frameworks', response: { 200: frameworkListResponse } },
    },
    async () => ({
      frameworks: (await frameworks.list()).map((f) => ({ ...f, lastImportedAt: f.lastImportedAt.toISOString() })),
    }),
  );

  api.get(
    `/api/schemas/${FRAMEWORK_SCHEMA_FILE}`,
    {
      config: { access: 'public' },
      schema: { tags: ['frameworks'], summary: 'JSON Schema of the kloe-framework catalogue format' },
    },
    async (_request, reply) => reply.type('application/schema+json').send(frameworkJsonSchemaText()),
  );

  api.get(
    '/api/frameworks/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['frameworks'],
        summary: 'One version of a framework, with its whole catalogue document',
        params: frameworkIdParams,
        querystring: versionQuery,
        response: { 200: frameworkVersionResponse, 404: problemSchema },
      },
    },
    async (request) => {
      const row = await frameworks.getVersion(request.params.id, request.query.version);
      return {
        id: row.frameworkId,
        version: row.version,
        contentHash: row.contentHash,
        source: row.source,
        importedAt: row.importedAt.toISOString(),
        counts: countFramework(row.document),
        document: row.document,
      };
    },
  );

  api.get(
    '/api/frameworks/:id/versions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['frameworks'],
        summary: 'Versions of a framework, newest first',
        params: frameworkIdParams,
        response: { 200: versionListResponse, 404: problemSchema },
      },
    },
    async (request) => ({
      id: request.params.id,
      versions: (await frameworks.listVersions(request.params.id)).map((v) => ({
        ...v,
        importedAt: v.importedAt.toISOString(),
      })),
    }),
  );
}
