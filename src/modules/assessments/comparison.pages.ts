/**
 * The comparison of a self-assessment with an inspection (or peer review) of the same service, as a page
 * (choose which to compare with in a GET form; ratings overall, per key question and per KLOE; statements
 * whose findings differ) and as CSV. JSON is in comparison.api.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { spreadsheetCsv } from '../../files/spreadsheet-csv.js';
import { currentUser } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, STATUS_LABELS } from './assessments.schemas.js';
import type { AssessmentsService } from './assessments.service.js';
import type { ComparisonService } from './comparison.service.js';
import { comparisonCsvRows, comparisonView } from './comparison.view-model.js';
import { assessmentOf } from './assessments.hooks.js';

export const comparisonQuery = z.object({
  with: z.uuid('Choose an assessment to compare with').optional(),
});

export function registerComparisonPages(
  app: FastifyInstance,
  deps: { comparison: Pick<ComparisonService, 'compare'>; assessments: Pick<AssessmentsService, 'get'> },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { comparison, assessments } = deps;

  pages.get(
    '/assessments/:id/compare',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentIdParams, querystring: comparisonQuery },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const loaded = assessmentOf(request);
      const detail = await assessments.get(actor, loaded);
      const result = await comparison.compare(actor, loaded, request.query.with);
      const view = comparisonView(result);
      const other = result.assessment.kind === 'self_assessment' ? result.external : result.self;
      return reply.render('assessments/views/compare.njk', {
        ...common,
        pageTitle: `Comparison: ${detail.assessment.title}`,
        breadcrumbs: [LIST_CRUMB, assessmentCrumb(detail.assessment)],
        header: { ...detail.assessment, organisationName: detail.organisationName, serviceName: detail.serviceName },
        self: result.self,
        external: result.external,
        other,
        choices: result.choices.map((c) => ({
          value: c.id,
          text: `${c.title} (${STATUS_LABELS[c.status].toLowerCase()}, revision ${c.revision})`,
          selected: c.id === other?.id,
        })),
        ...view,
        differing: view.rows.filter((r) => r.differs).length,
        onlyInOne: result.onlyInOne,
        statusLabels: STATUS_LABELS,
      });
    },
  );

  pages.get(
    '/assessments/:id/compare.csv',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentIdParams, querystring: comparisonQuery },
    },
    async (request, reply) => {
      const result = await comparison.compare(currentUser(request), assessmentOf(request), request.query.with);
      const { columns, rows } = comparisonCsvRows(comparisonView(result));
      const other = result.assessment.kind === 'self_assessment' ? result.external : result.self;
      const name = `comparison-${result.assessment.id.slice(0, 8)}${other ? `-${other.id.slice(0, 8)}` : ''}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(spreadsheetCsv(columns, rows, { bom: true }));
    },
  );
}
