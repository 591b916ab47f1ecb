/**
 * HTML pages of assessments: the list (kind and status filters in a GET form), opening one, its
 * overview (details, team, progress through the KLOEs, status actions, history); the forms to change its
 * details and team are in assessment-settings.pages.ts.
 * The KLOE workspace, scorecard and moderation pages are in workspace.pages.ts. Every form posts with
 * handleFormPost and redirects with a success banner (?done=…).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { CONFIRMED, confirmPublishPath, confirmReopenPath } from './confirm.pages.js';
import { hrefWithQuery, paginationFor } from '../../web/pagination.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import type { LoadedAssessment } from './assessment-access.js';
import { EditConflict } from './assessments.errors.js';
import { assessmentOf } from './assessments.hooks.js';
import { common, HISTORY_LIMIT, historyLabels, LIST_CRUMB } from './assessments.page-context.js';
import { historyEntries } from './assessment-history.js';
import { kloeEntityId } from './workspace.service.js';
import { mayCreate, routeConfigFor } from './assessments.policy.js';
import { assessmentIdParams, KIND_LABELS, statusBody } from './assessments.schemas.js';
import { ASSESSMENT_KINDS, ASSESSMENT_STATUSES } from './assessments.tables.js';
import {
  STATUS_ACTIONS,
  asList,
  donePageQuery,
  listPageQuery,
  newAssessmentForm,
  newFormField,
  reopenForm,
  scopeItems,
} from './assessments.forms.js';
import {
  assessmentPageChoices,
  headed,
  PLANNED_DATES,
  view,
  type AssessmentPagesDeps,
} from './assessments.page-choices.js';
import { registerAssessmentSettingsPages } from './assessment-settings.pages.js';

const PAGE_SIZE = 50;

export function registerAssessmentPages(app: FastifyInstance, deps: AssessmentPagesDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { assessments, workspace, accounts } = deps;

  const { serviceChoices, peopleChoices, latestFramework, conflictProblem } = assessmentPageChoices(deps);

  // ---- The list -------------------------------------------------------------------------------------

  pages.get(
    '/assessments',
    { config: routeConfigFor('view'), schema: { hide: true, querystring: listPageQuery } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { kind, status, organisation, page } = request.query;
      const { rows, total } = await assessments.list(actor, {
        kind,
        status,
        organisationId: organisation,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      return reply.render(view('list'), {
        ...common,
        pageTitle: 'Assessments',
        assessments: rows,
        total,
        kinds: ASSESSMENT_KINDS,
        statuses: ASSESSMENT_STATUSES,
        filters: { kind, status, organisation },
        filtered: kind !== undefined || status !== undefined || organisation !== undefined,
        mayCreate: actor.role !== 'viewer',
        pagination: paginationFor({
          page,
          pageSize: PAGE_SIZE,
          total,
          hrefFor: (n) => hrefWithQuery('/assessments', { kind, status, organisation, page: n }),
        }),
      });
    },
  );

  // ---- Opening one ----------------------------------------------------------------------------------

  async function renderNew(reply: FastifyReply, actor: UserActor, state: FormState) {
    const { choices, organisationNames } = await serviceChoices(actor);
    const kinds = ASSESSMENT_KINDS.filter(
      (kind) => actor.role === 'administrator' || mayCreate(actor, kind, actor.organisationId ?? ''),
    );
    return reply.render(view('new'), {
      ...common,
      ...state,
      pageTitle: 'Open an assessment',
      breadcrumbs: [LIST_CRUMB],
      serviceItems: [{ value: '', text: 'Choose a service' }, ...choices].map((c) => ({
        ...c,
        selected: c.value === state.values.service,
      })),
      kindItems: kinds.map((k) => ({
        value: k,
        text: KIND_LABELS[k],
        checked: state.values.kind === k || kinds.length === 1,
      })),
      scopeItems: scopeItems(await latestFramework(), state.values.scope),
      chooseLead: actor.role === 'administrator',
      people: await peopleChoices({
        organisationId: actor.role === 'organisation_member' ? (actor.organisationId ?? undefined) : undefined,
        names: organisationNames,
      }),
      members: new Set(asList(state.values.memberUserIds).map(String)),
    });
  }

  pages.get('/assessments/new', { config: routeConfigFor('create'), schema: { hide: true } }, async (request, reply) =>
    renderNew(reply, currentUser(request), { values: {} }),
  );

  pages.post(
    '/assessments/new',
    { config: routeConfigFor('create'), schema: { hide: true } },
    async (request, reply) => {
      const actor = currentUser(request);
      return handleFormPost(reply, {
        body: request.body,
        schema: newAssessmentForm,
        dates: PLANNED_DATES,
        save: async (data) => {
          const row = await assessments.create(actor, data);
          return `/assessments/${row.id}?done=created`;
        },
        fieldFor: newFormField,
        redisplay: (reply, state) => renderNew(reply, actor, state),
      });
    },
  );

  /**
   * The assessment's history in plain words: its own entries, its KLOEs' and roll-ups' (assignment, review,
   * judgements, challenges) and its evidence requests', newest first.
   */
  async function overviewHistory(id: string, ratingScale: Parameters<typeof historyLabels>[0]) {
    const { entries, total } = await deps.audit.historyOfMany(
      [
        { entityType: 'assessment', entityId: id },
        { entityType: 'kloe', entityIdPrefix: kloeEntityId(id, '') },
        { entityType: 'evidence_request', recordedWith: { field: 'assessmentId', value: id } },
      ],
      { limit: HISTORY_LIMIT },
    );
    // Team changes keep people's ids: their names are looked up only when such an entry is shown.
    const teamIds = new Set(
      entries
        .filter(
          (e) =>
            e.action === 'assessment.created' ||
            e.action === 'assessment.imported' ||
            e.action === 'assessment.team_changed',
        )
        .flatMap((e) => ((e.after as { team?: { userId: string }[] } | null)?.team ?? []).map((m) => m.userId)),
    );
    const names =
      teamIds.size > 0
        ? Object.fromEntries((await accounts.list()).filter((u) => teamIds.has(u.id)).map((u) => [u.id, u.name]))
        : {};
    return {
      total,
      shown: entries.length,
      entries: historyEntries(entries, historyLabels(ratingScale, names), { onOverview: true }),
    };
  }

  // ---- The overview ---------------------------------------------------------------------------------

  async function renderAssessment(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    extra: { done?: string; errors?: FormState['errors'] } = {},
  ) {
    const [detail, overview, board] = await Promise.all([
      assessments.get(actor, loaded),
      workspace.overview(actor, loaded),
      deps.kloeReview?.board(actor, loaded),
    ]);
    const { assessment, can, revisions } = detail;
    const label = (rating: string | null) =>
      overview.doc.ratingScale.find((level) => level.id === rating)?.label ?? null;
    const keyQuestions = overview.keyQuestions.map((kq) => ({
      ref: kq.nodeRef,
      title: kq.title,
      final: label(kq.judgement.finalRating),
      suggested: label(kq.suggestion.rating),
      kloes: overview.kloes
        .filter((k) => k.leaf.keyQuestion.ref === kq.nodeRef)
        .map((k) => ({
          ref: k.leaf.kloe.ref,
          question: k.leaf.kloe.question,
          judged: k.judged,
          total: k.total,
          final: label(k.judgement.finalRating),
          suggested: label(k.suggestion.rating),
        })),
    }));
    const latest = revisions[0]?.id === assessment.id;
    return reply.render(view('assessment'), {
      ...common,
      ...extra,
      pageTitle: assessment.title,
      breadcrumbs: [LIST_CRUMB],
      header: headed(detail),
      detail,
      keyQuestions,
      overall: {
        final: label(overview.overall.judgement.finalRating),
        suggested: label(overview.overall.suggestion.rating),
      },
      missingFinalRatings: overview.missingFinalRatings,
      board,
      statusActions: STATUS_ACTIONS[assessment.status].filter((a) => can[a.needs]),
      mayReopen: assessment.status === 'published' && can.lead && latest,
      history: can.viewHistory ? await overviewHistory(assessment.id, overview.doc.ratingScale) : undefined,
    });
  }

  pages.get(
    '/assessments/:id',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentIdParams, querystring: donePageQuery } },
    async (request, reply) =>
      renderAssessment(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  pages.post(
    '/assessments/:id/status',
    { config: routeConfigFor('lead'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      // Publishing locks the revision: it is done only from the page that says what will be locked.
      const posted = (request.body ?? {}) as { status?: unknown; confirm?: unknown };
      if (posted.status === 'published' && posted.confirm !== CONFIRMED)
        return reply.redirect(confirmPublishPath(id), 303);
      return handleFormPost(reply, {
        body: request.body,
        schema: statusBody,
        save: async (data) => {
          try {
            await assessments.moveStatus(actor, id, data);
          } catch (error) {
            if (error instanceof EditConflict) {
              const problem = await conflictProblem(id, error, 'status');
              throw new AppError(error.code, 409, error.message, [
                {
                  ...problem,
                  message: problem.message.replace(/Their version.*$/, 'Check its status, then try again'),
                },
              ]);
            }
            if (error instanceof AppError && error.code === 'status_move_refused') {
              throw new AppError(error.code, error.status, error.message, [
                { field: 'status', message: error.message },
              ]);
            }
            throw error;
          }
          return `/assessments/${id}?done=status-${data.status}`;
        },
        redisplay: (reply, state) => renderAssessment(reply, actor, assessmentOf(request), { errors: state.errors }),
      });
    },
  );

  pages.post(
    '/assessments/:id/reopen',
    { config: routeConfigFor('lead'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      if ((request.body as { confirm?: unknown } | undefined)?.confirm !== CONFIRMED) {
        return reply.redirect(confirmReopenPath(id), 303);
      }
      return handleFormPost(reply, {
        body: request.body,
        schema: reopenForm,
        save: async (data) => {
          const next = await assessments.reopen(actor, id, data.reason || null);
          return `/assessments/${next.id}?done=reopened`;
        },
        fieldFor: () => 'status',
        redisplay: (reply, state) => renderAssessment(reply, actor, assessmentOf(request), { errors: state.errors }),
      });
    },
  );

  registerAssessmentSettingsPages(app, deps);
}
