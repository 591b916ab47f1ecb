/**
 * Steps that cannot be taken back ask first, on a page of their own that works without JavaScript:
 * publishing (which locks the revision: it says what will be locked) and reopening a published revision
 * (which starts a new one). The status and reopen forms post here only from these pages (`confirm=yes`);
 * posted without it, they lead to the page.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../accounts/index.js';
import { assessmentOf } from './assessments.hooks.js';
import { assessmentCrumb, common, LIST_CRUMB, type AssessmentPageDeps } from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams } from './assessments.schemas.js';

/** The value of the hidden field that says the person has seen the confirmation page. */
export const CONFIRMED = 'yes';

export const confirmPublishPath = (id: string) => `/assessments/${id}/publish`;
export const confirmReopenPath = (id: string) => `/assessments/${id}/reopen`;

export function registerConfirmPages(
  app: FastifyInstance,
  deps: Pick<AssessmentPageDeps, 'assessments' | 'workspace'>,
) {
  const pages = app.withTypeProvider<ZodTypeProvider>();

  pages.get(
    '/assessments/:id/publish',
    { config: routeConfigFor('publish'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const loaded = assessmentOf(request);
      const [detail, overview, blockers] = await Promise.all([
        deps.assessments.get(actor, loaded),
        deps.workspace.overview(actor, loaded),
        deps.assessments.publishBlockers(actor, loaded),
      ]);
      const { assessment } = detail;
      const label = (rating: string | null) =>
        overview.doc.ratingScale.find((level) => level.id === rating)?.label ?? 'not rated';
      return reply.render('assessments/views/confirm-publish.njk', {
        ...common,
        pageTitle: `Publish ${assessment.title}?`,
        breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
        assessment,
        header: { ...assessment, organisationName: detail.organisationName, serviceName: detail.serviceName },
        mayPublish: assessment.status === 'moderation' && detail.can.publish,
        kloes: overview.kloes.length,
        rated: overview.kloes.filter((k) => k.judgement.finalRating).length,
        counts: overview.counts,
        keyQuestions: overview.keyQuestions.map((kq) => ({
          ref: kq.nodeRef,
          title: kq.title,
          rating: label(kq.judgement.finalRating),
        })),
        overall: label(overview.overall.judgement.finalRating),
        openChallenges: detail.openChallenges,
        missingFinalRatings: overview.missingFinalRatings,
        blockers,
        confirmed: CONFIRMED,
      });
    },
  );

  pages.get(
    '/assessments/:id/reopen',
    { config: routeConfigFor('lead'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const detail = await deps.assessments.get(currentUser(request), assessmentOf(request));
      const { assessment, revisions } = detail;
      return reply.render('assessments/views/confirm-reopen.njk', {
        ...common,
        pageTitle: `Reopen ${assessment.title}?`,
        breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
        assessment,
        header: { ...assessment, organisationName: detail.organisationName, serviceName: detail.serviceName },
        mayReopen: assessment.status === 'published' && detail.can.lead && revisions[0]?.id === assessment.id,
        nextRevision: (revisions[0]?.revision ?? assessment.revision) + 1,
        confirmed: CONFIRMED,
      });
    },
  );
}
