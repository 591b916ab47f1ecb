/**
 * The "Performance data" page of an assessment: its analysis snapshots, the KLOE statements they bear on,
 * and the indicators the team chose to chart in the report.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { asList, assessmentOf, type LoadedAssessment } from '../assessments/index.js';
import { routeConfigFor } from '../assessments/index.js';
import type { SnapshotsService } from './snapshots.service.js';

const params = z.object({ id: z.uuid() });

/** The report's indicators as the form posts them: none, one code, or several. */
const reportIndicatorsForm = z.object({
  indicators: z.preprocess((v) => asList(v ?? []), z.array(z.string().max(40)).max(500)),
});

interface PageState {
  done?: string;
  form?: FormState;
}

export function registerSnapshotPages(app: FastifyInstance, deps: { snapshots: SnapshotsService }): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { snapshots } = deps;

  async function renderPage(reply: FastifyReply, actor: UserActor, loaded: LoadedAssessment, state: PageState) {
    const { assessment, snapshots: list } = await snapshots.list(actor, loaded);
    const latest = list[0];
    return reply.render('indicators/views/snapshots.njk', {
      section: 'assessments',
      pageTitle: `Performance data: ${assessment.title}`,
      breadcrumbs: [
        { text: 'Assessments', href: '/assessments' },
        { text: assessment.title, href: `/assessments/${assessment.id}` },
      ],
      assessment,
      latest,
      earlier: list.slice(1),
      done: state.done,
      chosen: state.form ? asList(state.form.values.indicators) : latest?.reportIndicators,
      errors: state.form?.errors,
    });
  }

  routes.get(
    '/assessments/:id/indicators',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params, querystring: z.object({ done: z.string().max(20).optional() }) },
    },
    (request, reply) => renderPage(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  routes.post(
    '/assessments/:id/indicators/report',
    { config: routeConfigFor('judge'), schema: { hide: true, params } },
    (request, reply) =>
      handleFormPost(reply, {
        body: request.body,
        schema: reportIndicatorsForm,
        save: async ({ indicators }) => {
          await snapshots.chooseForReport(currentUser(request), assessmentOf(request), indicators);
          return `/assessments/${request.params.id}/indicators?done=chosen#report-indicators`;
        },
        redisplay: (reply, form) => renderPage(reply, currentUser(request), assessmentOf(request), { form }),
      }),
  );

  routes.put(
    '/api/assessments/:id/report-indicators',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags: ['assessments'],
        summary: 'Choose the indicators of the latest snapshot that the report charts',
        params,
        body: z.object({ indicators: z.array(z.string().max(40)).max(500) }),
        response: { 200: z.object({ indicators: z.array(z.string()) }) },
      },
    },
    async (request) => ({
      indicators: await snapshots.chooseForReport(currentUser(request), assessmentOf(request), request.body.indicators),
    }),
  );

  routes.post(
    '/assessments/:id/indicators',
    { config: routeConfigFor('judge'), schema: { hide: true, params } },
    async (request, reply) => {
      await snapshots.attach(currentUser(request), assessmentOf(request));
      return reply.redirect(`/assessments/${request.params.id}/indicators?done=attached`, 303);
    },
  );

  routes.get(
    '/api/assessments/:id/indicator-snapshots',
    {
      config: routeConfigFor('view'),
      schema: {
        tags: ['assessments'],
        summary: 'The assessment’s indicator analysis snapshots (kloe-indicator-analysis/1), newest first',
        params,
      },
    },
    async (request) => {
      const { snapshots: list } = await snapshots.list(currentUser(request), assessmentOf(request));
      return { snapshots: list.map((s) => ({ ...s, asOf: s.asOf.toISOString() })) };
    },
  );

  routes.post(
    '/api/assessments/:id/indicator-snapshots',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags: ['assessments'],
        summary: 'Freeze the organisation’s indicator analysis into the assessment, as at now',
        params,
      },
    },
    async (request, reply) => {
      const row = await snapshots.attach(currentUser(request), assessmentOf(request));
      return reply.status(201).send({ id: row.id, asOf: row.asOf.toISOString() });
    },
  );
}
