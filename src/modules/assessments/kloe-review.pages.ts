/**
 * Pages of assignment and review: the assignments page (every KLOE with its state, holder, reviewer and due
 * date), the lead's form to assign one KLOE (GOV.UK date input for the due date), and the review's moves,
 * posted from the KLOE page; sending back and reopening ask for a reason on a page of their own.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { parseDateForm } from '../../web/date-input-fields.js';
import { formErrorsFrom, problemsFromZod, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentForbidden } from './assessments.errors.js';
import { assessmentCrumb, common, LIST_CRUMB } from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, kloeParams } from './assessments.schemas.js';
import type { AssessmentsService } from './assessments.service.js';
import { assignBody, moveBody, REVIEW_STATE_LABELS } from './kloe-review.schemas.js';
import { formValues } from './workspace.forms.js';
import type { KloeReviewService } from './kloe-review.service.js';
import type { LoadedAssessment } from './assessment-access.js';
import { assessmentOf } from './assessments.hooks.js';

const view = (name: string) => `assessments/views/${name}.njk`;
const DUE = 'dueOn';
const reasonQuery = z.object({ to: z.enum(['drafting']).default('drafting') });

/** What was posted, one text a field, without the CSRF token. */
function values(body: unknown): Record<string, string> {
  return formValues(withoutCsrf(body)) as Record<string, string>;
}

const fieldProblems = (error: unknown) => (error instanceof AppError && error.problems.length > 0 ? error : undefined);

export function registerKloeReviewPages(
  app: FastifyInstance,
  deps: { kloeReview: KloeReviewService; assessments: Pick<AssessmentsService, 'summary'> },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { kloeReview } = deps;

  async function header(actor: UserActor, loaded: LoadedAssessment) {
    const { assessment, organisationName, serviceName } = await deps.assessments.summary(actor, loaded);
    return { ...assessment, organisationName, serviceName };
  }

  pages.get(
    '/assessments/:id/assignments',
    {
      config: routeConfigFor('view'),
      schema: {
        hide: true,
        params: assessmentIdParams,
        querystring: z.object({ done: z.string().max(40).optional() }),
      },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const loaded = assessmentOf(request);
      const [board, assessment] = await Promise.all([kloeReview.board(actor, loaded), header(actor, loaded)]);
      return reply.render(view('assignments'), {
        ...common,
        pageTitle: `Assignments: ${assessment.title}`,
        breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
        assessment,
        board,
        counts: Object.fromEntries(
          Object.keys(REVIEW_STATE_LABELS).map((state) => [state, board.kloes.filter((k) => k.state === state).length]),
        ),
        done: request.query.done,
      });
    },
  );

  async function renderAssign(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    ref: string,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
  ) {
    const [board, assessment] = await Promise.all([kloeReview.board(actor, loaded), header(actor, loaded)]);
    if (!board.canAssign)
      throw assessmentForbidden('assign KLOEs: only the assessment’s lead may, before it is published');
    const kloe = board.kloes.find((k) => k.kloeRef === ref);
    if (!kloe) throw new AppError('kloe_not_in_assessment', 404, `KLOE ${ref} is not in this assessment`);
    const people = [{ value: '', text: 'No one' }, ...board.people.map((p) => ({ value: p.userId, text: p.name }))];
    return reply.render(view('assignment-form'), {
      ...common,
      pageTitle: `Assign KLOE ${ref}: ${assessment.title}`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(assessment),
        { text: 'Assignments', href: `/assessments/${assessment.id}/assignments` },
      ],
      assessment,
      kloe,
      people,
      values: form.values ?? {
        assigneeId: kloe.assignee?.id ?? '',
        reviewerId: kloe.reviewer?.id ?? '',
        [DUE]: kloe.dueOn,
      },
      errors: form.errors,
    });
  }

  pages.get(
    '/assessments/:id/kloes/:ref/assignment',
    { config: routeConfigFor('lead'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => renderAssign(reply, currentUser(request), assessmentOf(request), request.params.ref),
  );

  pages.post(
    '/assessments/:id/kloes/:ref/assignment',
    { config: routeConfigFor('lead'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, ref } = request.params;
      const posted = values(request.body);
      try {
        const input = parseDateForm(
          assignBody,
          { ...posted, assigneeId: posted.assigneeId || null, reviewerId: posted.reviewerId || null },
          { [DUE]: 'The due date' },
        );
        await kloeReview.assign(actor, id, ref, input);
        return reply.redirect(`/assessments/${id}/assignments?done=assigned#kloe-${ref}`, 303);
      } catch (error) {
        const refused = fieldProblems(error);
        if (!refused) throw error;
        return renderAssign(reply.status(refused.status), actor, assessmentOf(request), ref, {
          values: posted,
          errors: formErrorsFrom(refused.problems),
        });
      }
    },
  );

  async function renderReason(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    ref: string,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
  ) {
    const [review, assessment] = await Promise.all([kloeReview.forKloe(actor, loaded, ref), header(actor, loaded)]);
    return reply.render(view('review-reason'), {
      ...common,
      pageTitle: `${review.state === 'reviewed' ? 'Reopen' : 'Send back'} KLOE ${ref}: ${assessment.title}`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(assessment),
        { text: `KLOE ${ref}`, href: `/assessments/${assessment.id}/kloes/${ref}` },
      ],
      assessment,
      ref,
      review,
      values: form.values ?? {},
      errors: form.errors,
    });
  }

  pages.get(
    '/assessments/:id/kloes/:ref/review',
    { config: routeConfigFor('judge'), schema: { hide: true, params: kloeParams, querystring: reasonQuery } },
    async (request, reply) => renderReason(reply, currentUser(request), assessmentOf(request), request.params.ref),
  );

  pages.post(
    '/assessments/:id/kloes/:ref/review',
    { config: routeConfigFor('judge'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, ref } = request.params;
      const posted = values(request.body);
      try {
        const parsed = moveBody.safeParse({ to: posted.to, reason: posted.reason || undefined });
        if (!parsed.success)
          throw new AppError('invalid_request', 400, 'Check the form', problemsFromZod(parsed.error));
        await kloeReview.move(actor, id, ref, parsed.data);
        return reply.redirect(`/assessments/${id}/kloes/${ref}?done=review-${parsed.data.to}`, 303);
      } catch (error) {
        const refused = fieldProblems(error);
        if (!refused) throw error;
        return renderReason(reply.status(refused.status), actor, assessmentOf(request), ref, {
          values: posted,
          errors: formErrorsFrom(refused.problems),
        });
      }
    },
  );
}
