/** The comparison of a self-assessment with an inspection of the same service, as JSON. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams } from './assessments.schemas.js';
import { FINDING_OUTCOMES } from './assessments.tables.js';
import { comparisonQuery } from './comparison.pages.js';
import type { ComparisonService } from './comparison.service.js';
import { assessmentOf } from './assessments.hooks.js';

const rating = z.object({ final: z.string().nullable(), suggested: z.string().nullable() });
const rowJson = z.object({
  ref: z.string(),
  level: z.enum(['kloe', 'key_question', 'overall']),
  question: z.string(),
  self: rating,
  external: rating,
  steps: z.number().int().nullable(),
  differs: z.boolean(),
});
const side = z
  .object({ id: z.uuid(), title: z.string(), kind: z.string(), status: z.string(), revision: z.number() })
  .nullable();

export function registerComparisonApi(app: FastifyInstance, deps: { comparison: Pick<ComparisonService, 'compare'> }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/assessments/:id/comparison',
    {
      config: routeConfigFor('view'),
      schema: {
        tags: ['assessments'],
        summary:
          'A self-assessment beside an inspection or peer review of the same service (`with`: which; default the most recently changed): ratings per KLOE, key question and overall, and the statements whose findings differ',
        params: assessmentIdParams,
        querystring: comparisonQuery,
        response: {
          200: z.object({
            self: side,
            external: side,
            choices: z.array(side.unwrap()),
            rows: z.array(rowJson),
            statements: z.array(
              z.object({
                ref: z.string(),
                kloeRef: z.string(),
                self: z.enum(FINDING_OUTCOMES),
                external: z.enum(FINDING_OUTCOMES),
              }),
            ),
            onlyInOne: z.array(z.string()),
          }),
          400: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const r = await deps.comparison.compare(currentUser(request), assessmentOf(request), request.query.with);
      const sideOf = (a: typeof r.self) =>
        a ? { id: a.id, title: a.title, kind: a.kind, status: a.status, revision: a.revision } : null;
      const rowOf = (row: (typeof r.rows)[number]) => ({
        ref: row.ref,
        level: row.level,
        question: row.question,
        self: row.self,
        external: row.external,
        steps: row.steps,
        differs: row.differs,
      });
      return {
        self: sideOf(r.self),
        external: sideOf(r.external),
        choices: r.choices.map((c) => sideOf(c)!),
        rows: [...r.rollUps, ...r.rows].map(rowOf),
        statements: r.statements.map(({ ref, kloeRef, self, external }) => ({ ref, kloeRef, self, external })),
        onlyInOne: r.onlyInOne,
      };
    },
  );
}
