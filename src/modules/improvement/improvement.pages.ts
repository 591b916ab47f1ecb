/**
 * HTML pages of a service's improvement plan: the plan with its quality flags, and the forms to add and
 * change aims and actions (organisation members). Every form posts back to its own address and redirects
 * to the plan with a success banner; bad input shows the GOV.UK error summary with what was typed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import {
  ACTION_DATES,
  actionForm,
  actionFormValues,
  aimForm,
  aimFormValues,
  compactRows,
  rowCounts,
  updateActionForm,
  updateAimForm,
} from './improvement.forms.js';
import { mayOnPlan, routeConfigFor } from './improvement.policy.js';
import { actionNotFound, aimNotFound } from './improvement.errors.js';
import { actionParams, aimParams, assessmentParams, deleteBody, planParams } from './improvement.schemas.js';
import type { ImprovementService } from './improvement.service.js';
import type { PlanDraftsService } from './plan-drafts.service.js';

const planPageQuery = z.object({ done: z.string().max(40).optional() });

type PlanParams = z.infer<typeof planParams>;

export function registerImprovementPages(
  app: FastifyInstance,
  deps: { improvement: ImprovementService; drafts: PlanDraftsService },
) {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  /**
   * A page that changes a plan: only members of the organisation may, and anyone who may not see the
   * organisation gets its 404 before the request is checked.
   */
  const editPage = <P extends z.ZodType>(params: P) => ({
    preValidation: refuseInvisibleOrganisation,
    config: routeConfigFor('edit'),
    schema: { hide: true, params },
  });

  const { improvement, drafts } = deps;
  const planHref = (p: PlanParams) => `/organisations/${p.id}/services/${p.serviceId}/plan`;

  /** Breadcrumbs and captions every plan page shares. */
  async function context(actor: UserActor, p: PlanParams) {
    const plan = await improvement.get(actor, p.id, p.serviceId);
    const { organisation, service } = plan;
    return {
      plan,
      common: {
        section: 'organisations',
        organisation,
        service,
        planHref: planHref(p),
        breadcrumbs: [
          { text: 'Organisations', href: '/organisations' },
          { text: organisation.name, href: `/organisations/${organisation.id}` },
        ],
      },
    };
  }

  pages.get(
    '/organisations/:id/services/:serviceId/plan',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: { hide: true, params: planParams, querystring: planPageQuery },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const { plan, common } = await context(actor, request.params);
      const kloes = (await improvement.options(actor, request.params.id, request.params.serviceId)).kloes;
      return reply.render('improvement/views/plan.njk', {
        ...common,
        pageTitle: `Improvement plan: ${plan.service.name}`,
        aims: plan.aims,
        flags: plan.flags,
        comments: plan.comments,
        mayComment: mayOnPlan(actor, 'comment', plan.organisation.id),
        trackRecordHref: `/organisations/${plan.organisation.id}/services/${plan.service.id}/track-record`,
        kloeQuestions: Object.fromEntries(kloes.map((k) => [k.ref, k.question])),
        mayEdit: mayOnPlan(actor, 'edit', plan.organisation.id),
        done: request.query.done,
      });
    },
  );

  async function renderAimForm(
    reply: FastifyReply,
    actor: UserActor,
    p: PlanParams,
    aimId: string | undefined,
    state: FormState,
  ) {
    const { common } = await context(actor, p);
    const { kloes } = await improvement.options(actor, p.id, p.serviceId);
    return reply.render('improvement/views/aim-form.njk', {
      ...common,
      ...state,
      pageTitle: aimId ? 'Change an aim' : 'Add an aim',
      action: aimId ? `${planHref(p)}/aims/${aimId}/edit` : `${planHref(p)}/aims/new`,
      kloes,
    });
  }

  pages.get('/organisations/:id/services/:serviceId/plan/aims/new', editPage(planParams), async (request, reply) =>
    renderAimForm(reply, currentUser(request), request.params, undefined, { values: {} }),
  );

  pages.post('/organisations/:id/services/:serviceId/plan/aims/new', editPage(planParams), async (request, reply) => {
    const actor = currentUser(request);
    const p = request.params;
    return handleFormPost(reply, {
      body: request.body,
      schema: aimForm,
      save: async (data) => {
        await improvement.createAim(actor, p.id, p.serviceId, data);
        return `${planHref(p)}?done=aim-added`;
      },
      redisplay: (reply, state) => renderAimForm(reply, actor, p, undefined, state),
    });
  });

  pages.get(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/edit',
    editPage(aimParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      const aim = await improvement.getAim(actor, p.id, p.serviceId, p.aimId);
      return renderAimForm(reply, actor, p, aim.id, { values: aimFormValues(aim) });
    },
  );

  pages.post(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/edit',
    editPage(aimParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: updateAimForm,
        save: async (data) => {
          await improvement.updateAim(actor, p.id, p.serviceId, p.aimId, data);
          return `${planHref(p)}?done=aim-changed`;
        },
        redisplay: (reply, state) => renderAimForm(reply, actor, p, p.aimId, state),
      });
    },
  );

  async function renderActionForm(
    reply: FastifyReply,
    actor: UserActor,
    p: z.infer<typeof aimParams>,
    actionId: string | undefined,
    state: FormState,
  ) {
    const { common, plan } = await context(actor, p);
    const aim = await improvement.getAim(actor, p.id, p.serviceId, p.aimId);
    const otherActions = plan.aims.flatMap((a) =>
      a.actions
        .filter((x) => x.id !== actionId)
        .map((x) => ({ id: x.id, label: `${a.position}.${x.position}: ${x.title}` })),
    );
    const { people, indicators } = await improvement.options(actor, p.id, p.serviceId);
    const base = `${planHref(p)}/aims/${aim.id}/actions`;
    return reply.render('improvement/views/action-form.njk', {
      ...common,
      ...state,
      pageTitle: actionId ? 'Change an action' : 'Add an action',
      aim,
      action: actionId ? `${base}/${actionId}/edit` : `${base}/new`,
      people,
      indicators,
      otherActions,
      rows: rowCounts(state.values),
    });
  }

  pages.get(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/new',
    editPage(aimParams),
    async (request, reply) => renderActionForm(reply, currentUser(request), request.params, undefined, { values: {} }),
  );

  pages.post(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/new',
    editPage(aimParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      return handleFormPost(reply, {
        body: compactRows(request.body as Record<string, unknown>),
        schema: actionForm,
        dates: ACTION_DATES,
        save: async (data) => {
          await improvement.createAction(actor, p.id, p.serviceId, p.aimId, data);
          return `${planHref(p)}?done=action-added`;
        },
        redisplay: (reply, state) => renderActionForm(reply, actor, p, undefined, state),
      });
    },
  );

  pages.get(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/edit',
    editPage(actionParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      const { action } = await improvement.getAction(actor, p.id, p.serviceId, p.aimId, p.actionId);
      return renderActionForm(reply, actor, p, action.id, { values: actionFormValues(action) });
    },
  );

  pages.post(
    '/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/edit',
    editPage(actionParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      return handleFormPost(reply, {
        body: compactRows(request.body as Record<string, unknown>),
        schema: updateActionForm,
        dates: ACTION_DATES,
        save: async (data) => {
          await improvement.updateAction(actor, p.id, p.serviceId, p.aimId, p.actionId, data);
          return `${planHref(p)}?done=action-changed`;
        },
        redisplay: (reply, state) => renderActionForm(reply, actor, p, p.actionId, state),
      });
    },
  );

  async function renderDelete(
    reply: FastifyReply,
    actor: UserActor,
    p: z.infer<typeof aimParams> & { actionId?: string },
    state: FormState,
  ) {
    const { common, plan } = await context(actor, p);
    const aim = plan.aims.find((a) => a.id === p.aimId);
    const action = aim?.actions.find((a) => a.id === p.actionId);
    if (!aim || (p.actionId !== undefined && !action)) {
      throw p.actionId === undefined ? aimNotFound(p.aimId) : actionNotFound(p.actionId);
    }
    const href = `${planHref(p)}/aims/${aim.id}`;
    return reply.render('improvement/views/delete.njk', {
      ...common,
      ...state,
      pageTitle: action ? `Delete action ${aim.position}.${action.position}?` : `Delete aim ${aim.position}?`,
      what: action ? action.title : aim.title,
      warning: action
        ? 'Its progress updates and comments go with it. This cannot be undone.'
        : `Its ${aim.actions.length} action(s), their progress updates and comments go with it. This cannot be undone.`,
      formAction: action ? `${href}/actions/${action.id}/delete` : `${href}/delete`,
      backHref: action ? `${href}/actions/${action.id}` : `${planHref(p)}#aim-${aim.id}`,
      values: { version: String((action ?? aim).version), ...state.values },
    });
  }

  for (const [path, params] of [
    ['/organisations/:id/services/:serviceId/plan/aims/:aimId/delete', aimParams],
    ['/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/delete', actionParams],
  ] as const) {
    pages.get(path, editPage(params), async (request, reply) =>
      renderDelete(reply, currentUser(request), request.params, { values: {} }),
    );
    pages.post(path, editPage(params), async (request, reply) => {
      const actor = currentUser(request);
      const p: z.infer<typeof aimParams> & { actionId?: string } = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: deleteBody,
        save: async ({ version }) => {
          if (p.actionId === undefined) await improvement.deleteAim(actor, p.id, p.serviceId, p.aimId, version);
          else await improvement.deleteAction(actor, p.id, p.serviceId, p.aimId, p.actionId, version);
          return `${planHref(p)}?done=${p.actionId === undefined ? 'aim-deleted' : 'action-deleted'}`;
        },
        redisplay: (reply, state) => renderDelete(reply, actor, p, state),
      });
    });
  }

  // The button on an assessment's recommendations page.
  pages.post(
    '/assessments/:id/plan-drafts',
    { config: routeConfigFor('edit'), schema: { hide: true, params: assessmentParams } },
    async (request, reply) => {
      const { href } = await drafts.draftFromAssessment(currentUser(request), request.params.id);
      return reply.redirect(`${href}?done=drafted`, 303);
    },
  );
}
