/**
 * HTML pages of progress on a plan: one action with its status, the reasons for the suggestion, its
 * progress updates and its history; the forms to record progress and to set the status (members), and to
 * comment on the plan or an action (inspectors, administrators, members). Every form works without
 * JavaScript and comes back with the GOV.UK error summary and what was typed.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import type { AuditService } from '../audit/index.js';
import { refuseInvisibleOrganisation } from '../organisations/index.js';
import { STATUS_LABELS } from './action-status.js';
import { commentForm, PROGRESS_DATES, progressForm } from './improvement.forms.js';
import { mayOnPlan, routeConfigFor, type PlanAction } from './improvement.policy.js';
import { actionParams, planParams, statusBody } from './improvement.schemas.js';
import { planHref } from './plan-drafts.service.js';
import type { ProgressService } from './progress.service.js';

type ActionParams = z.infer<typeof actionParams>;

const doneQuery = z.object({ done: z.string().max(40).optional() });
const commentQuery = z.object({ actionId: z.uuid({ error: 'Not an action id' }).optional() });

export function registerProgressPages(
  app: FastifyInstance,
  deps: { progress: ProgressService; audit: Pick<AuditService, 'historyOf'> },
) {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { progress, audit } = deps;
  const route = <P extends z.ZodType>(action: PlanAction, params: P) => ({
    preValidation: refuseInvisibleOrganisation,
    config: routeConfigFor(action),
    schema: { hide: true, params },
  });
  const actionHref = (p: ActionParams) => `${planHref(p.id, p.serviceId)}/aims/${p.aimId}/actions/${p.actionId}`;
  const base = '/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId';

  async function actionContext(actor: UserActor, p: ActionParams) {
    const detail = await progress.action(actor, p.id, p.serviceId, p.aimId, p.actionId);
    const { organisation, service } = detail;
    return {
      detail,
      common: {
        section: 'organisations',
        organisation,
        service,
        aim: detail.aim,
        action: detail.action,
        status: detail.status,
        statusLabels: STATUS_LABELS,
        planHref: planHref(p.id, p.serviceId),
        actionHref: actionHref(p),
        breadcrumbs: [
          { text: 'Organisations', href: '/organisations' },
          { text: organisation.name, href: `/organisations/${organisation.id}` },
          { text: `Improvement plan: ${service.name}`, href: planHref(p.id, p.serviceId) },
        ],
      },
    };
  }

  pages.get(
    base,
    { ...route('view', actionParams), schema: { hide: true, params: actionParams, querystring: doneQuery } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { detail, common } = await actionContext(actor, request.params);
      const { action, status } = detail;
      const organisationId = detail.organisation.id;
      const plan = await progress.planActions(actor, request.params.id, request.params.serviceId);
      return reply.render('improvement/views/action.njk', {
        ...common,
        pageTitle: `Action ${detail.aim.position}.${action.position}: ${action.title}`,
        progress: detail.progress,
        comments: detail.comments,
        reached: detail.progress.flatMap((p) => p.milestonesReached),
        evidenceById: Object.fromEntries(detail.evidence.map((e) => [e.id, e])),
        measureRows: action.measures.map((m) => {
          const reading = status.detail.measures.find((r) => r.indicatorCode === m.indicatorCode);
          return {
            ...m,
            latest: detail.latest[m.indicatorCode],
            share: reading?.share === undefined ? undefined : Math.round(reading.share * 100),
          };
        }),
        dependencies: plan.filter((a) => action.dependsOn.includes(a.id)),
        history: await audit.historyOf('improvement_action', action.id, { limit: 20 }),
        mayEdit: mayOnPlan(actor, 'edit', organisationId),
        mayComment: mayOnPlan(actor, 'comment', organisationId),
        done: request.query.done,
      });
    },
  );

  async function renderProgressForm(reply: FastifyReply, actor: UserActor, p: ActionParams, state: FormState) {
    const { common } = await actionContext(actor, p);
    const { evidence } = await progress.progressOptions(actor, p.id, p.serviceId);
    return reply.render('improvement/views/progress-form.njk', {
      ...common,
      ...state,
      pageTitle: 'Record progress',
      formAction: `${actionHref(p)}/progress/new`,
      evidence,
    });
  }

  pages.get(`${base}/progress/new`, route('edit', actionParams), async (request, reply) =>
    renderProgressForm(reply, currentUser(request), request.params, {
      values: { recordedOn: progress.today() },
    }),
  );

  pages.post(`${base}/progress/new`, route('edit', actionParams), async (request, reply) => {
    const actor = currentUser(request);
    const p = request.params;
    return handleFormPost(reply, {
      body: request.body,
      schema: progressForm,
      dates: PROGRESS_DATES,
      save: async (data) => {
        await progress.recordProgress(actor, p.id, p.serviceId, p.aimId, p.actionId, data);
        return `${actionHref(p)}?done=progress-recorded`;
      },
      redisplay: (reply, state) => renderProgressForm(reply, actor, p, state),
    });
  });

  async function renderStatusForm(reply: FastifyReply, actor: UserActor, p: ActionParams, state: FormState) {
    const { common } = await actionContext(actor, p);
    return reply.render('improvement/views/status-form.njk', {
      ...common,
      ...state,
      pageTitle: 'Set the status',
      formAction: `${actionHref(p)}/status`,
    });
  }

  pages.get(`${base}/status`, route('edit', actionParams), async (request, reply) => {
    const actor = currentUser(request);
    const { detail } = await actionContext(actor, request.params);
    return renderStatusForm(reply, actor, request.params, {
      values: {
        status: detail.status.status,
        reason: detail.status.override?.reason ?? '',
        version: String(detail.action.version),
      },
    });
  });

  pages.post(`${base}/status`, route('edit', actionParams), async (request, reply) => {
    const actor = currentUser(request);
    const p = request.params;
    return handleFormPost(reply, {
      body: request.body,
      schema: statusBody,
      save: async (data) => {
        await progress.setStatus(actor, p.id, p.serviceId, p.aimId, p.actionId, data);
        return `${actionHref(p)}?done=status-set`;
      },
      redisplay: (reply, state) => renderStatusForm(reply, actor, p, state),
    });
  });

  async function renderCommentForm(
    reply: FastifyReply,
    actor: UserActor,
    p: z.infer<typeof planParams>,
    state: FormState,
  ) {
    const plan = await progress.planActions(actor, p.id, p.serviceId);
    const actionId = typeof state.values.actionId === 'string' ? state.values.actionId : undefined;
    const action = plan.find((a) => a.id === actionId);
    const subject = await progress.subject(actor, p.id, p.serviceId);
    const href = planHref(p.id, p.serviceId);
    return reply.render('improvement/views/comment-form.njk', {
      ...state,
      section: 'organisations',
      ...subject,
      pageTitle: action ? `Comment on “${action.title}”` : 'Comment on the plan',
      formAction: `${href}/comments/new`,
      backHref: action ? `${href}/aims/${action.aimId}/actions/${action.id}` : `${href}#comments`,
      breadcrumbs: [
        { text: 'Organisations', href: '/organisations' },
        { text: subject.organisation.name, href: `/organisations/${p.id}` },
        { text: `Improvement plan: ${subject.service.name}`, href },
      ],
    });
  }

  pages.get(
    '/organisations/:id/services/:serviceId/plan/comments/new',
    { ...route('comment', planParams), schema: { hide: true, params: planParams, querystring: commentQuery } },
    async (request, reply) =>
      renderCommentForm(reply, currentUser(request), request.params, {
        values: request.query.actionId ? { actionId: request.query.actionId } : {},
      }),
  );

  pages.post(
    '/organisations/:id/services/:serviceId/plan/comments/new',
    route('comment', planParams),
    async (request, reply) => {
      const actor = currentUser(request);
      const p = request.params;
      return handleFormPost(reply, {
        body: request.body,
        schema: commentForm,
        save: async (data) => {
          await progress.addComment(actor, p.id, p.serviceId, data);
          const plan = await progress.planActions(actor, p.id, p.serviceId);
          const action = plan.find((a) => a.id === data.actionId);
          const href = planHref(p.id, p.serviceId);
          return action
            ? `${href}/aims/${action.aimId}/actions/${action.id}?done=comment-added`
            : `${href}?done=comment-added#comments`;
        },
        redisplay: (reply, state) => renderCommentForm(reply, actor, p, state),
      });
    },
  );
}
