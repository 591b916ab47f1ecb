/** Comment threads of a KLOE as JSON: read, start, reply, resolve. Comments are not evidence. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { assessmentOf, routeConfigFor } from '../assessments/index.js';
import { kloeParams } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { replyBody, startThreadBody, threadJson, threadParams } from './comments.schemas.js';
import type { CommentsService } from './comments.service.js';
import type * as repo from './comments.repository.js';

type Listed = Awaited<ReturnType<typeof repo.listThreads>>[number];
const toJson = ({ thread, comments }: Listed) => ({
  id: thread.id,
  kloeRef: thread.kloeRef,
  statementRef: thread.statementRef,
  audience: thread.audience,
  createdAt: thread.createdAt,
  resolvedAt: thread.resolvedAt,
  comments: comments.map(({ comment, authorName }) => ({
    id: comment.id,
    authorId: comment.authorId,
    authorName,
    body: comment.body,
    mentions: comment.mentions,
    createdAt: comment.createdAt,
  })),
});

export function registerCommentsApi(app: FastifyInstance, deps: { comments: CommentsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { comments } = deps;
  const tags = ['comments'];
  const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  api.get(
    '/api/assessments/:id/kloes/:ref/comments',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The comment threads of a KLOE (and its statements) that you may read, oldest first',
        params: kloeParams,
        response: { 200: z.object({ threads: z.array(threadJson) }), 404: problemSchema },
      },
    },
    async (request) => {
      const { threads } = await comments.forKloe(currentUser(request), assessmentOf(request), request.params.ref);
      return { threads: threads.map(toJson) };
    },
  );

  api.post(
    '/api/assessments/:id/kloes/:ref/comments',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary:
          'Start a thread on a KLOE or one of its statements, for the team alone or (on a shared inspection) with the organisation; mentioned people are notified',
        params: kloeParams,
        body: startThreadBody,
        response: { 201: z.object({ threadId: z.uuid(), commentId: z.uuid() }), ...write },
      },
    },
    async (request, reply) => {
      const { thread, comment } = await comments.start(
        currentUser(request),
        request.params.id,
        request.params.ref,
        request.body,
      );
      return reply.status(201).send({ threadId: thread.id, commentId: comment.id });
    },
  );

  api.post(
    '/api/assessments/:id/comment-threads/:threadId/comments',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Reply to a thread (a resolved thread opens again)',
        params: threadParams,
        body: replyBody,
        response: { 201: z.object({ commentId: z.uuid() }), ...write },
      },
    },
    async (request, reply) => {
      const comment = await comments.reply(
        currentUser(request),
        request.params.id,
        request.params.threadId,
        request.body,
      );
      return reply.status(201).send({ commentId: comment.id });
    },
  );

  for (const [verb, resolved] of [
    ['resolve', true],
    ['reopen', false],
  ] as const) {
    api.post(
      `/api/assessments/:id/comment-threads/:threadId/${verb}`,
      {
        config: routeConfigFor('judge'),
        schema: {
          tags,
          summary: resolved ? 'Resolve a thread: it folds away' : 'Open a resolved thread again',
          params: threadParams,
          response: { 200: z.object({ resolvedAt: z.date().nullable() }), ...write },
        },
      },
      async (request) => {
        const { id, threadId } = request.params;
        const thread = await comments.resolve(currentUser(request), id, threadId, resolved);
        return { resolvedAt: thread.resolvedAt };
      },
    );
  }
}
