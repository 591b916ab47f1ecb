/** JSON routes of the audit trail, for administrators. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../api/problem-schema.js';
import { auditApiQuery, auditListResponse, chainVerificationResponse, entryJson } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export function registerAuditApi(app: FastifyInstance, deps: { audit: AuditService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: { roles: ['administrator'] as const } };
  const refusals = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
  const { audit } = deps;

  api.get(
    '/api/audit',
    {
      config,
      schema: {
        tags: ['audit'],
        summary: 'Audit trail entries matching the filters, newest first, 50 a page unless `limit` says',
        querystring: auditApiQuery,
        response: { 200: auditListResponse, ...refusals },
      },
    },
    async (request) => {
      const { limit, offset, ...filters } = request.query;
      const result = await audit.list(filters, { offset, pageSize: limit });
      return { entries: result.entries.map(entryJson), total: result.total, limit, offset };
    },
  );

  api.get(
    '/api/audit/verify',
    {
      config,
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chain of the whole audit trail and report every entry edited or deleted',
        response: { 200: chainVerificationResponse, ...refusals },
      },
    },
    async () => audit.verify(),
  );
}
