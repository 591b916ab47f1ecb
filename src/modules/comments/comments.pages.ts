/**
 * The comments page of a KLOE: its threads (open ones first, resolved ones folded), a form to start one
 * (about the KLOE or one statement, for the team or with the organisation, mentioning people), and a reply
 * form and resolve button on each. The KLOE page shows the open threads and links here.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom, problemsFromZod, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { kloeParams } from '../assessments/index.js';
import type { AssessmentsService } from '../assessments/index.js';
import { AUDIENCE_LABELS, replyBody, startThreadBody, threadParams } from './comments.schemas.js';
import type { CommentsService } from './comments.service.js';

type Posted = Record<string, string | string[]>;

function posted(body: unknown): Posted {
  return Object.fromEntries(
    Object.entries(withoutCsrf(body)).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(String) : String(value ?? ''),
    ]),
  );
}
const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const refused = (error: unknown) => (error instanceof AppError && error.problems.length > 0 ? error : undefined);

export function registerCommentPages(
  app: FastifyInstance,
  deps: { comments: CommentsService; assessments: Pick<AssessmentsService, 'summary'> },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { comments } = deps;

  async function render(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    ref: string,
    form: { threadId?: string; values?: Posted; errors?: FormErrors } = {},
  ) {
    const [data, summary] = await Promise.all([
      comments.forKloe(actor, loaded, ref),
      deps.assessments.summary(actor, loaded),
    ]);
    const header = {
      ...summary.assessment,
      organisationName: summary.organisationName,
      serviceName: summary.serviceName,
    };
    const threads = data.threads
      .map((t) => ({ ...t, about: t.thread.statementRef ?? `KLOE ${ref}` }))
      .sort((a, b) => Number(a.thread.resolvedAt !== null) - Number(b.thread.resolvedAt !== null));
    return reply.render('comments/views/comments.njk', {
      ...common,
      pageTitle: `Comments on KLOE ${ref}: ${header.title}`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(header),
        { text: `KLOE ${ref}`, href: `/assessments/${header.id}/kloes/${ref}` },
      ],
      assessment: header,
      ref,
      question: data.question,
      statements: data.statements,
      threads,
      audiences: data.audiences,
      audienceLabels: AUDIENCE_LABELS,
      people: data.people,
      form: { threadId: form.threadId, values: form.values ?? {}, errors: form.errors },
      errors: form.errors,
    });
  }

  pages.get(
    '/assessments/:id/kloes/:ref/comments',
    { config: routeConfigFor('view'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => render(reply, currentUser(request), assessmentOf(request), request.params.ref),
  );

  pages.post(
    '/assessments/:id/kloes/:ref/comments',
    { config: routeConfigFor('judge'), schema: { hide: true, params: kloeParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, ref } = request.params;
      const values = posted(request.body);
      try {
        const parsed = startThreadBody.safeParse({
          audience: values.audience || 'team',
          statementRef: values.statementRef || null,
          body: values.body ?? '',
          mentions: list(values.mentions),
        });
        if (!parsed.success)
          throw new AppError('invalid_request', 400, 'Check the comment', problemsFromZod(parsed.error));
        const { thread } = await comments.start(actor, id, ref, parsed.data);
        return reply.redirect(`/assessments/${id}/kloes/${ref}/comments#thread-${thread.id}`, 303);
      } catch (error) {
        const problem = refused(error);
        if (!problem) throw error;
        return render(reply.status(problem.status), actor, assessmentOf(request), ref, {
          values,
          errors: formErrorsFrom(problem.problems),
        });
      }
    },
  );

  pages.post(
    '/assessments/:id/comment-threads/:threadId/comments',
    { config: routeConfigFor('judge'), schema: { hide: true, params: threadParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, threadId } = request.params;
      const ref = await comments.kloeOfThread(actor, assessmentOf(request), threadId);
      const values = posted(request.body);
      try {
        const parsed = replyBody.safeParse({ body: values.body ?? '', mentions: list(values.mentions) });
        if (!parsed.success)
          throw new AppError('invalid_request', 400, 'Check the reply', problemsFromZod(parsed.error));
        await comments.reply(actor, id, threadId, parsed.data);
        return reply.redirect(`/assessments/${id}/kloes/${ref}/comments#thread-${threadId}`, 303);
      } catch (error) {
        const problem = refused(error);
        if (!problem) throw error;
        const errors = formErrorsFrom(problem.problems.map((p) => ({ ...p, field: `reply-${threadId}-${p.field}` })));
        return render(reply.status(problem.status), actor, assessmentOf(request), ref, { threadId, values, errors });
      }
    },
  );

  pages.post(
    '/assessments/:id/comment-threads/:threadId/resolve',
    { config: routeConfigFor('judge'), schema: { hide: true, params: threadParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, threadId } = request.params;
      const ref = await comments.kloeOfThread(actor, assessmentOf(request), threadId);
      const resolved = posted(request.body).resolved !== 'false';
      await comments.resolve(actor, id, threadId, resolved);
      return reply.redirect(`/assessments/${id}/kloes/${ref}/comments#thread-${threadId}`, 303);
    },
  );
}
