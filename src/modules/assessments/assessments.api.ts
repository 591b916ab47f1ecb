/**
 * JSON routes of assessments: the assessment and its team and status, the workspace (findings, KLOE
 * judgements, roll-ups, scorecard) and moderation. Each route demands the roles the policy gives its
 * action; which assessment a person may reach is then the services' (and the policy's) business.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { routeConfigFor } from './assessments.policy.js';
import {
  assessmentDetailResponse,
  assessmentJson,
  assessmentListResponse,
  assessmentResponse,
  challengeJson,
  challengeResponse,
  kloeJson,
  kloeResponse,
  rollUpJson,
  rollUpResponse,
  scorecardResponse,
  teamResponse,
} from './assessments.responses.js';
import {
  assessmentIdParams,
  challengeBody,
  challengeParams,
  createAssessmentBody,
  kloeParams,
  listAssessmentsQuery,
  resolveChallengeBody,
  rollUpParams,
  saveKloeBody,
  saveRollUpBody,
  statusBody,
  teamBody,
  updateAssessmentBody,
} from './assessments.schemas.js';
import type { AssessmentsService } from './assessments.service.js';
import type { ModerationService } from './moderation.service.js';
import type { WorkspaceService } from './workspace.service.js';
import { assessmentOf } from './assessments.hooks.js';

export interface AssessmentsApiDeps {
  assessments: AssessmentsService;
  workspace: WorkspaceService;
  moderation: ModerationService;
}

export function registerAssessmentsApi(app: FastifyInstance, deps: AssessmentsApiDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { assessments, workspace, moderation } = deps;
  const tags = ['assessments'];
  const read = { 400: problemSchema, 404: problemSchema };
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  api.get(
    '/api/assessments',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Assessments the caller may see, most recently changed first',
        querystring: listAssessmentsQuery,
        response: { 200: assessmentListResponse, 400: problemSchema },
      },
    },
    async (request) => {
      const { rows, total } = await assessments.list(currentUser(request), request.query);
      const { limit, offset } = request.query;
      return {
        assessments: rows.map(({ assessment, ...names }) => assessmentJson(assessment, names)),
        total,
        limit,
        offset,
      };
    },
  );

  api.post(
    '/api/assessments',
    {
      config: routeConfigFor('create'),
      schema: {
        tags,
        summary: 'Open an assessment of a service, pinned to a framework version (the latest unless given)',
        body: createAssessmentBody,
        response: { 201: assessmentResponse, ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(assessmentJson(await assessments.create(currentUser(request), request.body))),
  );

  api.get(
    '/api/assessments/:id',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'One assessment with its team, revisions and what the caller may do',
        params: assessmentIdParams,
        response: { 200: assessmentDetailResponse, ...read },
      },
    },
    async (request) => {
      const { assessment, team, revisions, openChallenges, can, ...names } = await assessments.get(
        currentUser(request),
        assessmentOf(request),
      );
      return { ...assessmentJson(assessment, names), team, revisions, openChallenges, permissions: can };
    },
  );

  api.patch(
    '/api/assessments/:id',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary: 'Change the title, dates, scope or sharing, at the version read (409 if changed since)',
        params: assessmentIdParams,
        body: updateAssessmentBody,
        response: { 200: assessmentResponse, ...write },
      },
    },
    async (request) => assessmentJson(await assessments.update(currentUser(request), request.params.id, request.body)),
  );

  api.put(
    '/api/assessments/:id/team',
    {
      config: routeConfigFor('manage'),
      schema: {
        tags,
        summary: 'Set the team: one lead and any members',
        params: assessmentIdParams,
        body: teamBody,
        response: { 200: teamResponse, ...write },
      },
    },
    async (request) => assessments.setTeam(currentUser(request), request.params.id, request.body),
  );

  api.post(
    '/api/assessments/:id/status',
    {
      config: routeConfigFor('lead'),
      schema: {
        tags,
        summary:
          'Move the status one step: planning → fieldwork → moderation → published (or moderation back to fieldwork); the lead only',
        params: assessmentIdParams,
        body: statusBody,
        response: { 200: assessmentResponse, ...write },
      },
    },
    async (request) =>
      assessmentJson(await assessments.moveStatus(currentUser(request), request.params.id, request.body)),
  );

  api.post(
    '/api/assessments/:id/reopen',
    {
      config: routeConfigFor('lead'),
      schema: {
        tags,
        summary: 'Reopen a published assessment as its next revision; the published one is kept unchanged',
        params: assessmentIdParams,
        body: z.object({ reason: z.string().trim().max(1000).optional() }).optional(),
        response: { 201: assessmentResponse, ...write },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          assessmentJson(
            await assessments.reopen(currentUser(request), request.params.id, request.body?.reason || null),
          ),
        ),
  );

  api.get(
    '/api/assessments/:id/scorecard',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Every KLOE with findings and suggested and final ratings, the roll-ups and what is unjudged',
        params: assessmentIdParams,
        response: { 200: scorecardResponse, ...read },
      },
    },
    async (request) => {
      const o = await workspace.overview(currentUser(request), assessmentOf(request));
      return {
        assessmentId: o.assessment.id,
        status: o.assessment.status,
        kloes: o.kloes.map(kloeJson),
        keyQuestions: o.keyQuestions.map(rollUpJson),
        overall: rollUpJson(o.overall),
        findingCounts: o.counts,
        missingFinalRatings: o.missingFinalRatings,
      };
    },
  );

  api.get(
    '/api/assessments/:id/kloes/:ref',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary:
          'One KLOE: findings, strengths, areas for improvement, suggested rating with its reasons, final rating',
        params: kloeParams,
        response: { 200: kloeResponse, ...read },
      },
    },
    async (request) =>
      kloeJson((await workspace.kloe(currentUser(request), assessmentOf(request), request.params.ref)).kloe),
  );

  api.put(
    '/api/assessments/:id/kloes/:ref',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary:
          'Save a KLOE at the version read: findings given replace those statements’ findings; 409 with the other version if someone saved first',
        params: kloeParams,
        body: saveKloeBody,
        response: { 200: kloeResponse, ...write },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await workspace.saveKloe(user, request.params.id, request.params.ref, request.body);
      return kloeJson((await workspace.kloe(user, assessmentOf(request), request.params.ref)).kloe);
    },
  );

  api.put(
    '/api/assessments/:id/ratings/:node',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Set the final rating of a key question or of the overall judgement ("overall")',
        params: rollUpParams,
        body: saveRollUpBody,
        response: { 200: rollUpResponse, ...write },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await workspace.saveRollUp(user, request.params.id, request.params.node, request.body);
      const o = await workspace.overview(user, assessmentOf(request));
      return rollUpJson([...o.keyQuestions, o.overall].find((n) => n.nodeRef === request.params.node)!);
    },
  );

  api.get(
    '/api/assessments/:id/challenges',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Moderation challenges to the assessment’s ratings',
        params: assessmentIdParams,
        response: { 200: z.object({ challenges: z.array(challengeResponse) }), ...read },
      },
    },
    async (request) => ({
      challenges: (await moderation.list(currentUser(request), assessmentOf(request))).map((c) =>
        challengeJson(c.challenge, c.raisedByName),
      ),
    }),
  );

  api.post(
    '/api/assessments/:id/challenges',
    {
      config: routeConfigFor('challenge'),
      schema: {
        tags,
        summary: 'Challenge a rating during moderation (a team member other than the lead)',
        params: assessmentIdParams,
        body: challengeBody,
        response: { 201: challengeResponse, ...write },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(challengeJson(await moderation.raise(currentUser(request), request.params.id, request.body))),
  );

  api.post(
    '/api/assessments/:id/challenges/:challengeId/resolve',
    {
      config: routeConfigFor('lead'),
      schema: {
        tags,
        summary: 'Resolve a challenge (the lead): keep the rating, or change it, with a reason',
        params: challengeParams,
        body: resolveChallengeBody,
        response: { 200: challengeResponse, ...write },
      },
    },
    async (request) =>
      challengeJson(
        await moderation.resolve(currentUser(request), request.params.id, request.params.challengeId, request.body),
      ),
  );
}
