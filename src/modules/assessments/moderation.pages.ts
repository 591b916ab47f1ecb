/**
 * The moderation page of an assessment: the challenges raised against KLOE, key-question and overall
 * ratings, each beside the rating it questions (who saved it and when, with its rationale), a form to raise
 * one, and the lead's form to resolve each (upheld with a new rating, or not upheld, with a reason).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppError } from '../../errors.js';
import { formErrorsFrom, formRefusal } from '../../web/form-errors.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB, type AssessmentPageDeps } from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, challengeBody, challengeParams, resolveChallengeBody } from './assessments.schemas.js';
import type { FormValues } from './workspace.forms.js';
import { invalid, pageQuery, postedValues, ratingLabels, type FormRedisplay } from './workspace.page-parts.js';
import type { LoadedAssessment } from './assessment-access.js';
import { assessmentOf } from './assessments.hooks.js';

export function registerModerationPages(
  app: FastifyInstance,
  deps: Pick<AssessmentPageDeps, 'assessments' | 'workspace' | 'moderation'>,
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { workspace, moderation, assessments } = deps;

  async function renderModeration(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: { raise?: FormRedisplay; resolve?: { challengeId: string; form: FormRedisplay }; done?: string },
  ) {
    const [o, detail, list] = await Promise.all([
      workspace.overview(actor, loaded),
      assessments.get(actor, loaded),
      moderation.list(actor, loaded),
    ]);
    const labels = ratingLabels(o.doc.ratingScale);
    const names = Object.fromEntries(detail.team.map((m) => [m.userId, m.name]));
    // What the lead weighs a challenge against: the rating, its rationale, and who saved it last and when.
    const rated = (judgement: {
      finalRating: string | null;
      rationale: string | null;
      updatedBy: string | null;
      updatedAt: Date;
    }) => ({
      rating: judgement.finalRating,
      rationale: judgement.rationale,
      savedByName: judgement.updatedBy ? (names[judgement.updatedBy] ?? 'a former team member') : null,
      savedAt: judgement.updatedAt,
    });
    const targets = [
      ...o.kloes.map((k) => ({
        ref: k.leaf.kloe.ref,
        text: `KLOE ${k.leaf.kloe.ref}: ${k.leaf.kloe.question}`,
        ...rated(k.judgement),
      })),
      ...o.keyQuestions.map((kq) => ({
        ref: kq.nodeRef,
        text: `Key question ${kq.nodeRef}: ${kq.title}`,
        ...rated(kq.judgement),
      })),
      { ref: o.overall.nodeRef, text: 'Overall judgement', ...rated(o.overall.judgement) },
    ];
    const targetOf = Object.fromEntries(targets.map((t) => [t.ref, t]));
    const challenges = list
      .map(({ challenge, raisedByName }) => ({
        ...challenge,
        raisedByName,
        resolvedByName: challenge.resolvedBy ? (names[challenge.resolvedBy] ?? 'a former team member') : null,
        target: targetOf[challenge.targetRef] ?? { ref: challenge.targetRef, text: challenge.targetRef, rating: null },
        form:
          state.resolve?.challengeId === challenge.id
            ? state.resolve.form
            : { values: {} as FormValues, errors: undefined },
      }))
      .sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
    return reply.render('assessments/views/moderation.njk', {
      ...common,
      pageTitle: `Moderation: ${o.assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(o.assessment)],
      assessment: o.assessment,
      header: { ...o.assessment, organisationName: detail.organisationName, serviceName: detail.serviceName },
      can: o.can,
      scale: o.doc.ratingScale,
      ratingLabels: labels,
      targets,
      challenges,
      openCount: challenges.filter((c) => c.status === 'open').length,
      raise: state.raise ?? { values: {} },
      errors: state.raise?.errors ?? state.resolve?.form.errors,
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/moderation',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentIdParams, querystring: pageQuery } },
    async (request, reply) =>
      renderModeration(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  pages.post(
    '/assessments/:id/challenges',
    { config: routeConfigFor('challenge'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      const values = postedValues(request.body);
      try {
        const parsed = challengeBody.safeParse({ targetRef: values.targetRef ?? '', comment: values.comment ?? '' });
        if (!parsed.success) throw invalid(parsed.error);
        await moderation.raise(actor, id, parsed.data);
        return reply.redirect(`/assessments/${id}/moderation?done=raised`, 303);
      } catch (error) {
        const problems = formRefusal(error)?.problems;
        if (!problems) throw error;
        return renderModeration(reply.status((error as AppError).status), actor, assessmentOf(request), {
          raise: { values, errors: formErrorsFrom(problems) },
        });
      }
    },
  );

  pages.post(
    '/assessments/:id/challenges/:challengeId/resolve',
    { config: routeConfigFor('lead'), schema: { hide: true, params: challengeParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, challengeId } = request.params;
      const values = postedValues(request.body);
      try {
        const parsed = resolveChallengeBody.safeParse({
          outcome: values.outcome,
          rating: values.rating || undefined,
          reason: values.reason ?? '',
        });
        if (!parsed.success) throw invalid(parsed.error);
        await moderation.resolve(actor, id, challengeId, parsed.data);
        return reply.redirect(`/assessments/${id}/moderation?done=resolved`, 303);
      } catch (error) {
        const problems = formRefusal(error, (field) => `challenge-${challengeId}-${field}`)?.problems;
        if (!problems) throw error;
        return renderModeration(reply.status((error as AppError).status), actor, assessmentOf(request), {
          resolve: { challengeId, form: { values, errors: formErrorsFrom(problems) } },
        });
      }
    },
  );
}
