/**
 * HTML pages of an assessment's recommendations: the list with a form to add one, a page to change one,
 * and removal. Read-only for whoever may not judge the assessment (and for everyone once it is published).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import type { FormErrors } from '../../web/form-errors.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { EditConflict } from './assessments.errors.js';
import { assessmentCrumb, common, LIST_CRUMB } from './assessments.page-context.js';
import { routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams } from './assessments.schemas.js';
import type { AssessmentsService } from './assessments.service.js';
import {
  areaValue,
  recommendationBodyFromForm,
  recommendationFormValues,
  type LinkOption,
} from './recommendations.forms.js';
import {
  PRIORITY_LABELS,
  recommendationBody,
  recommendationParams,
  updateRecommendationBody,
} from './recommendations.schemas.js';
import type { RecommendationsService } from './recommendations.service.js';
import type { LoadedAssessment } from './assessment-access.js';
import { assessmentOf } from './assessments.hooks.js';

export interface RecommendationPageDeps {
  recommendations: RecommendationsService;
  assessments: AssessmentsService;
  /** What the service's improvement plan shows here: the aim answering each recommendation, and drafting. */
  plans?: {
    forRecommendationsPage(
      actor: UserActor,
      assessment: { id: string; organisationId: string; serviceId: string; kind: string; status: string },
    ): Promise<{ aims: Record<string, { title: string; href: string }>; mayDraft: boolean }>;
  };
}

const doneQuery = z.object({ done: z.enum(['added', 'saved', 'removed']).optional() });

/** "areas.2" and "kloeRefs.0" point at the checkbox group, which is what the page can link to. */
function groupedErrors(errors: FormErrors | undefined): FormErrors | undefined {
  if (!errors) return undefined;
  const field = (name: string) => name.split('.')[0]!;
  const fields: FormErrors['fields'] = {};
  for (const [name, message] of Object.entries(errors.fields)) fields[field(name)] ??= message;
  return {
    errorList: errors.errorList.map((e) => ({ ...e, href: `#${field(e.href.slice(1))}` })),
    fields,
  };
}

/** A save someone else beat: shown on the form, which then carries their version. */
function conflictAsFormError(error: unknown): unknown {
  if (!(error instanceof EditConflict)) return error;
  const who = error.current.updatedByLabel ?? 'someone else';
  return new AppError(error.code, 409, error.message, [
    { field: 'text', message: `Changed by ${who} since you opened it: reload the page to see their version` },
  ]);
}

export function registerRecommendationPages(app: FastifyInstance, deps: RecommendationPageDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { recommendations, assessments } = deps;

  async function context(actor: UserActor, loaded: LoadedAssessment) {
    const [detail, options] = await Promise.all([
      assessments.get(actor, loaded),
      recommendations.linkOptions(actor, loaded),
    ]);
    const { assessment, organisationName, serviceName, can } = detail;
    return {
      ...common,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment,
      header: { ...assessment, organisationName, serviceName },
      can,
      options,
      areaValue,
      priorityLabels: PRIORITY_LABELS,
    };
  }

  const formSchema = (options: LinkOption[], schema: z.ZodType) =>
    z.preprocess((values) => recommendationBodyFromForm(values as Record<string, unknown>, options), schema);

  async function renderList(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: FormState & { done?: string },
  ) {
    const [ctx, list] = await Promise.all([context(actor, loaded), recommendations.list(actor, loaded)]);
    const plan = await deps.plans?.forRecommendationsPage(actor, ctx.assessment);
    return reply.render('assessments/views/recommendations.njk', {
      ...ctx,
      plan,
      pageTitle: `Recommendations: ${ctx.assessment.title}`,
      recommendations: list,
      values: state.values,
      errors: groupedErrors(state.errors),
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/recommendations',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentIdParams, querystring: doneQuery } },
    async (request, reply) =>
      renderList(reply, currentUser(request), assessmentOf(request), { values: {}, done: request.query.done }),
  );

  pages.post(
    '/assessments/:id/recommendations',
    { config: routeConfigFor('judge'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      const loaded = assessmentOf(request);
      const options = await recommendations.linkOptions(actor, loaded);
      return handleFormPost(reply, {
        body: request.body,
        schema: formSchema(options, recommendationBody) as z.ZodType<z.infer<typeof recommendationBody>>,
        save: async (data) => {
          await recommendations.create(actor, id, data);
          return `/assessments/${id}/recommendations?done=added`;
        },
        redisplay: (reply, state) => renderList(reply, actor, loaded, state),
      });
    },
  );

  async function renderEdit(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    recId: string,
    state?: FormState,
  ) {
    const [ctx, row] = await Promise.all([context(actor, loaded), recommendations.get(actor, loaded, recId)]);
    return reply.render('assessments/views/recommendation-edit.njk', {
      ...ctx,
      pageTitle: `Change recommendation ${row.position}: ${ctx.assessment.title}`,
      recommendation: row,
      values: state?.values ?? recommendationFormValues(row, ctx.options),
      errors: groupedErrors(state?.errors),
    });
  }

  pages.get(
    '/assessments/:id/recommendations/:recommendationId',
    { config: routeConfigFor('judge'), schema: { hide: true, params: recommendationParams } },
    async (request, reply) =>
      renderEdit(reply, currentUser(request), assessmentOf(request), request.params.recommendationId),
  );

  pages.post(
    '/assessments/:id/recommendations/:recommendationId',
    { config: routeConfigFor('judge'), schema: { hide: true, params: recommendationParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, recommendationId } = request.params;
      const loaded = assessmentOf(request);
      const options = await recommendations.linkOptions(actor, loaded);
      return handleFormPost(reply, {
        body: request.body,
        schema: formSchema(options, updateRecommendationBody) as z.ZodType<z.infer<typeof updateRecommendationBody>>,
        save: async (data) => {
          try {
            await recommendations.update(actor, id, recommendationId, data);
          } catch (error) {
            throw conflictAsFormError(error);
          }
          return `/assessments/${id}/recommendations?done=saved`;
        },
        redisplay: (reply, state) => renderEdit(reply, actor, loaded, recommendationId, state),
      });
    },
  );

  pages.post(
    '/assessments/:id/recommendations/:recommendationId/remove',
    { config: routeConfigFor('judge'), schema: { hide: true, params: recommendationParams } },
    async (request, reply) => {
      await recommendations.remove(currentUser(request), request.params.id, request.params.recommendationId);
      return reply.redirect(`/assessments/${request.params.id}/recommendations?done=removed`, 303);
    },
  );
}
