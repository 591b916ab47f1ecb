/**
 * The forms that change an assessment: its details (title, planned dates, scope, sharing with the organisation)
 * and its team (the lead and members). Only those who may manage it reach them; a save someone else beat shows
 * their version beside the person's own.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import type { LoadedAssessment } from './assessment-access.js';
import { EditConflict } from './assessments.errors.js';
import { assessmentOf } from './assessments.hooks.js';
import { assessmentCrumb, common, LIST_CRUMB } from './assessments.page-context.js';
import {
  assessmentPageChoices,
  headed,
  PLANNED_DATES,
  view,
  type AssessmentPagesDeps,
} from './assessments.page-choices.js';
import { routeConfigFor } from './assessments.policy.js';
import type { AssessmentRow } from './assessments.repository.js';
import { assessmentIdParams } from './assessments.schemas.js';
import { asList, detailsForm, newFormField, scopeItems, teamForm } from './assessments.forms.js';

export function registerAssessmentSettingsPages(app: FastifyInstance, deps: AssessmentPagesDeps): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { assessments, workspace } = deps;
  const { peopleChoices, conflictProblem } = assessmentPageChoices(deps);

  async function renderDetails(
    reply: FastifyReply,
    detail: Awaited<ReturnType<typeof assessments.get>>,
    state: FormState,
    theirs?: AssessmentRow,
  ) {
    const { assessment } = detail;
    const doc = (await workspace.overview(currentUser(reply.request), assessmentOf(reply.request))).doc;
    return reply.render(view('details-form'), {
      ...common,
      ...state,
      pageTitle: 'Change the assessment’s details',
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      header: headed(detail),
      scopeItems: scopeItems(doc, state.values.scope),
      askSharing: assessment.kind === 'inspection',
      theirs: theirs
        ? { ...theirs, scopeText: theirs.scope ? theirs.scope.join(', ') : 'The whole framework' }
        : undefined,
    });
  }

  const detailsValues = (a: AssessmentRow) => ({
    version: String(a.version),
    title: a.title,
    plannedStart: a.plannedStart ?? '',
    plannedEnd: a.plannedEnd ?? '',
    scope: a.scope ?? [],
    sharedWithOrganisation: a.sharedWithOrganisation ? 'yes' : '',
  });

  /** The assessment for a form that changes it: not found if invisible, forbidden unless they may manage it. */
  async function forManaging(actor: UserActor, loaded: LoadedAssessment) {
    const detail = await assessments.get(actor, loaded);
    if (!detail.can.manage) {
      throw new AppError('forbidden', 403, 'You may not change this assessment’s details or team');
    }
    return detail;
  }

  pages.get(
    '/assessments/:id/details',
    { config: routeConfigFor('manage'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const detail = await forManaging(currentUser(request), assessmentOf(request));
      return renderDetails(reply, detail, { values: detailsValues(detail.assessment) });
    },
  );

  pages.post(
    '/assessments/:id/details',
    { config: routeConfigFor('manage'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const detail = await forManaging(actor, assessmentOf(request));
      const { id } = detail.assessment;
      let theirs: AssessmentRow | undefined;
      return handleFormPost(reply, {
        body: request.body,
        schema: detailsForm(detail.assessment.kind),
        dates: PLANNED_DATES,
        save: async (data) => {
          try {
            await assessments.update(actor, id, data);
          } catch (error) {
            if (!(error instanceof EditConflict)) throw error;
            // Their version, read again: the one this request started with may be older.
            theirs = (await assessments.get(actor, id)).assessment;
            throw new AppError(error.code, 409, error.message, [await conflictProblem(id, error, 'title')]);
          }
          return `/assessments/${id}?done=updated`;
        },
        redisplay: (reply, state) =>
          renderDetails(
            reply,
            detail,
            theirs ? { ...state, values: { ...state.values, version: String(theirs.version) } } : state,
            theirs,
          ),
      });
    },
  );

  async function renderTeam(
    reply: FastifyReply,
    detail: Awaited<ReturnType<typeof assessments.get>>,
    state: FormState,
    conflicted = false,
  ) {
    const { assessment } = detail;
    const people = await peopleChoices({ organisationId: assessment.organisationId, kind: assessment.kind });
    // Whoever is on the team stays choosable, even if they would not be offered now.
    for (const m of detail.team) {
      if (!people.some((p) => p.value === m.userId)) people.push({ value: m.userId, text: m.name });
    }
    const members = new Set(asList(state.values.memberUserIds).map(String));
    return reply.render(view('team-form'), {
      ...common,
      ...state,
      pageTitle: 'Change the team',
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      header: headed(detail),
      leadItems: [{ value: '', text: 'Choose the lead' }, ...people].map((p) => ({
        ...p,
        selected: p.value === state.values.leadUserId,
      })),
      memberItems: people.map((p) => ({ ...p, checked: members.has(p.value) })),
      currentTeam: conflicted ? detail.team : undefined,
    });
  }

  pages.get(
    '/assessments/:id/team',
    { config: routeConfigFor('manage'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const detail = await forManaging(currentUser(request), assessmentOf(request));
      return renderTeam(reply, detail, {
        values: {
          version: String(detail.assessment.version),
          leadUserId: detail.team.find((m) => m.role === 'lead')?.userId ?? '',
          memberUserIds: detail.team.filter((m) => m.role === 'member').map((m) => m.userId),
        },
      });
    },
  );

  pages.post(
    '/assessments/:id/team',
    { config: routeConfigFor('manage'), schema: { hide: true, params: assessmentIdParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const detail = await forManaging(actor, assessmentOf(request));
      const { id } = detail.assessment;
      let current: Awaited<ReturnType<typeof assessments.get>> | undefined;
      return handleFormPost(reply, {
        body: request.body,
        schema: teamForm,
        save: async (data) => {
          try {
            await assessments.setTeam(actor, id, data);
          } catch (error) {
            if (!(error instanceof EditConflict)) throw error;
            // Their version, read again: the one this request started with may be older.
            current = await assessments.get(actor, id);
            throw new AppError(error.code, 409, error.message, [await conflictProblem(id, error, 'leadUserId')]);
          }
          return `/assessments/${id}?done=team`;
        },
        fieldFor: newFormField,
        redisplay: (reply, state) =>
          current
            ? renderTeam(
                reply,
                current,
                { ...state, values: { ...state.values, version: String(current.assessment.version) } },
                true,
              )
            : renderTeam(reply, detail, state),
      });
    },
  );
}
