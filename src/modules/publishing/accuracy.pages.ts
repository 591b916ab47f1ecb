/**
 * The factual accuracy page of an inspection (no JavaScript needed): the lead sends the draft report with a
 * deadline; the organisation's members comment on a section; the team answers each comment. Each form shows
 * its own errors with what was typed kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseDateForm } from '../../web/date-input-fields.js';
import { formRefusal, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { assessmentIdParams } from '../assessments/index.js';
import { answerBody, commentBody, commentParams, RESPONSE_LABELS, sendCheckBody } from './accuracy.schemas.js';
import type { AccuracyService } from './accuracy.service.js';
import { plainDate, ukDay } from '../../dates.js';

type Posted = Record<string, string>;
/**
 * Which form a redisplay is for: "send", "comment", or the id of the comment being answered. Its fields' ids
 * (and so the error summary's links) are the form's name, a hyphen and the field's name.
 */
interface FormState {
  form: string;
  values: Posted;
  errors: FormErrors;
}

const pagePath = (id: string) => `/assessments/${id}/factual-accuracy`;

export function registerAccuracyPages(app: FastifyInstance, deps: { accuracy: AccuracyService }): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { accuracy } = deps;

  async function render(reply: FastifyReply, actor: UserActor, of: LoadedAssessment, state?: FormState, done?: string) {
    const { loaded, check, can } = await accuracy.get(actor, of);
    const { assessment, organisationName, serviceName } = loaded;
    return reply.render('publishing/views/factual-accuracy.njk', {
      ...common,
      pageTitle: `Factual accuracy: ${assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment,
      header: { ...assessment, organisationName, serviceName },
      check: { ...check, deadlineText: check.deadline ? plainDate(check.deadline) : null },
      can,
      todayExample: ukDay().split('-').reverse().map(Number).join(' '),
      responseLabels: RESPONSE_LABELS,
      state: state ?? { form: '', values: {}, errors: undefined },
      errors: state?.errors,
      done,
    });
  }

  /**
   * A form post: checked with its schema (GOV.UK date inputs read by date-input-fields.ts), done, then back to
   * the page (303) or the page again with errors. Fields are the form's name, a hyphen and the field's name;
   * a date's day field keeps its own name (one date input on the page).
   */
  function post<T>(
    form: (params: Record<string, string>) => string,
    schema: z.ZodType<T>,
    save: SaveFn<T>,
    dates: Record<string, string> = {},
  ) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const actor = currentUser(request);
      const params = request.params as Record<string, string>;
      const name = form(params);
      const values = Object.fromEntries(
        Object.entries(withoutCsrf(request.body)).map(([field, value]) => [field, String(value ?? '')]),
      );
      try {
        return reply.redirect(await save(actor, params, parseDateForm(schema, values, dates)), 303);
      } catch (error) {
        const dayFields = new Set(Object.keys(dates).map((date) => `${date}-day`));
        const refused = formRefusal(error, (field) => (dayFields.has(field) ? field : `${name}-${field}`));
        if (!refused) throw error;
        return render(reply.status(refused.status), actor, assessmentOf(request), {
          form: name,
          values,
          errors: refused.errors,
        });
      }
    };
  }
  type SaveFn<T> = (actor: UserActor, params: Record<string, string>, data: T) => Promise<string>;

  pages.get(
    '/assessments/:id/factual-accuracy',
    {
      config: routeConfigFor('view'),
      schema: { hide: true, params: assessmentIdParams, querystring: z.object({ done: z.string().optional() }) },
    },
    async (request, reply) => render(reply, currentUser(request), assessmentOf(request), undefined, request.query.done),
  );

  pages.post(
    '/assessments/:id/factual-accuracy',
    { config: routeConfigFor('lead'), schema: { hide: true, params: assessmentIdParams } },
    post(
      () => 'send',
      sendCheckBody,
      async (actor, { id }, data) => {
        await accuracy.send(actor, id!, data);
        return `${pagePath(id!)}?done=sent`;
      },
      { deadline: 'The deadline' },
    ),
  );

  pages.post(
    '/assessments/:id/factual-accuracy/comments',
    { config: { access: { roles: ['organisation_member'] } }, schema: { hide: true, params: assessmentIdParams } },
    post(
      () => 'comment',
      commentBody,
      async (actor, { id }, data) => {
        const comment = await accuracy.comment(actor, id!, data);
        return `${pagePath(id!)}?done=commented#comment-${comment.id}`;
      },
    ),
  );

  pages.post(
    '/assessments/:id/factual-accuracy/comments/:commentId/answer',
    { config: routeConfigFor('judge'), schema: { hide: true, params: commentParams } },
    post(
      ({ commentId }) => commentId!,
      answerBody,
      async (actor, { id, commentId }, data) => {
        await accuracy.answer(actor, id!, commentId!, data);
        return `${pagePath(id!)}?done=answered#comment-${commentId}`;
      },
    ),
  );
}
