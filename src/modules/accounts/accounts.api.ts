/** JSON routes for people (administrators) and for the caller's own account and API tokens. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageFields, pageOf, pageQuery } from '../../api/index.js';
import {
  createTokenBody,
  createUserBody,
  resetPasswordBody,
  tokenIdParams,
  tokenResponse,
  updateUserBody,
  userIdParams,
  userResponse,
} from './accounts.schemas.js';
import { publicUser, type AccountsService } from './accounts.service.js';
import { currentUser, type TokenScope } from './actor.js';
import type { ApiTokensService } from './api-tokens.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const userJson = (user: Parameters<typeof publicUser>[0]) => {
  const u = publicUser(user);
  return { ...u, lockedUntil: iso(u.lockedUntil), createdAt: u.createdAt.toISOString() };
};
const tokenJson = (t: {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) => ({
  ...t,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});

export function registerAccountsApi(
  app: FastifyInstance,
  deps: { accounts: AccountsService; tokens: ApiTokensService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: { roles: ['administrator'] as const } };
  const signedIn = { access: 'signed-in' as const };
  const { accounts, tokens } = deps;

  api.get(
    '/api/me',
    { config: signedIn, schema: { tags: ['account'], summary: 'The caller', response: { 200: userResponse } } },
    async (request) => userJson(await accounts.getUser(currentUser(request).userId)),
  );

  api.get(
    '/api/me/tokens',
    {
      config: signedIn,
      schema: {
        tags: ['account'],
        summary: 'The caller’s API tokens',
        response: { 200: z.object({ tokens: z.array(tokenResponse) }) },
      },
    },
    async (request) => ({ tokens: (await tokens.list(currentUser(request))).map(tokenJson) }),
  );

  api.post(
    '/api/me/tokens',
    {
      config: signedIn,
      schema: {
        tags: ['account'],
        summary: 'Create an API token; the response is the only time the token is shown',
        body: createTokenBody,
        response: { 201: tokenResponse.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const { token, row } = await tokens.create(currentUser(request), request.body);
      return reply.status(201).send({ ...tokenJson(row), token });
    },
  );

  api.delete(
    '/api/me/tokens/:id',
    { config: signedIn, schema: { tags: ['account'], summary: 'Revoke an API token', params: tokenIdParams } },
    async (request, reply) => {
      await tokens.revoke(currentUser(request), request.params.id);
      return reply.status(204).send();
    },
  );

  api.get(
    '/api/users',
    {
      config: admin,
      schema: {
        tags: ['people'],
        summary: 'Everyone who can sign in',
        querystring: pageQuery(),
        response: { 200: z.object({ users: z.array(userResponse), ...pageFields }) },
      },
    },
    async (request) => {
      const { items, ...page } = pageOf(await accounts.list(), request.query);
      return { users: items.map(userJson), ...page };
    },
  );

  api.post(
    '/api/users',
    {
      config: admin,
      schema: { tags: ['people'], summary: 'Create a person', body: createUserBody, response: { 201: userResponse } },
    },
    async (request, reply) =>
      reply.status(201).send(userJson(await accounts.create(request.body, currentUser(request)))),
  );

  api.get(
    '/api/users/:id',
    {
      config: admin,
      schema: { tags: ['people'], summary: 'One person', params: userIdParams, response: { 200: userResponse } },
    },
    async (request) => userJson(await accounts.getUser(request.params.id)),
  );

  api.patch(
    '/api/users/:id',
    {
      config: admin,
      schema: {
        tags: ['people'],
        summary: 'Change a person’s role, or disable or enable them',
        params: userIdParams,
        body: updateUserBody,
        response: { 200: userResponse },
      },
    },
    async (request) => {
      const by = currentUser(request);
      const { role, organisationId, disabled, reason } = request.body;
      let user = await accounts.getUser(request.params.id);
      if (role !== undefined) user = await accounts.setRole(user.id, role, organisationId, by, reason);
      if (disabled !== undefined) user = await accounts.setDisabled(user.id, disabled, by, reason);
      return userJson(user);
    },
  );

  api.put(
    '/api/users/:id/password',
    {
      config: admin,
      schema: {
        tags: ['people'],
        summary: 'Set a new password (ends their sessions)',
        params: userIdParams,
        body: resetPasswordBody,
      },
    },
    async (request, reply) => {
      await accounts.resetPassword(request.params.id, request.body.password, currentUser(request));
      return reply.status(204).send();
    },
  );
}
