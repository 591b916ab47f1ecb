/** Making a published inspection's report public, and withdrawing it, as JSON. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { withdrawBody } from './public-reports.schemas.js';
import type { PublicReportsService } from './public-reports.service.js';

export function registerPublicReportsApi(app: FastifyInstance, deps: { publicReports: PublicReportsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { publicReports } = deps;
  const tags = ['public reports'];
  const config = { access: { roles: ['administrator', 'inspector'] as const } };
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  const state = z.object({ path: z.string(), public: z.boolean(), withdrawalNotice: z.string().nullable() });

  api.put(
    '/api/assessments/:id/public',
    {
      config,
      schema: {
        tags,
        summary:
          'Make a published inspection’s report public: its page under /public/reports, its ratings in the open data. The lead or an administrator',
        params: assessmentIdParams,
        response: { 200: state, ...errors },
      },
    },
    async (request) => {
      await publicReports.makePublic(currentUser(request), request.params.id);
      return { path: publicReports.publicPath(request.params.id), public: true, withdrawalNotice: null };
    },
  );

  api.post(
    '/api/assessments/:id/public/withdraw',
    {
      config,
      schema: {
        tags,
        summary: 'Withdraw a public report: its address then answers 404 with the notice. The lead or an administrator',
        params: assessmentIdParams,
        body: withdrawBody,
        response: { 200: state, ...errors },
      },
    },
    async (request) => {
      const row = await publicReports.withdraw(currentUser(request), request.params.id, request.body.notice);
      return {
        path: publicReports.publicPath(request.params.id),
        public: false,
        withdrawalNotice: row.withdrawalNotice,
      };
    },
  );
}
