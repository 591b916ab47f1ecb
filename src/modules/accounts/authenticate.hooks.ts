/**
 * Works out request.actor before anything else runs: an API token ("Authorization: Bearer kloe_…", while
 * unrevoked and unexpired),
 * else the session cookie (verified by better-auth, then held to kloe's absolute expiry and to the
 * person still being enabled), else anonymous. A bad credential is simply anonymous: routes that
 * need a person then answer 401 or send to the sign-in page.
 */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import * as repo from './accounts.repository.js';
import type { Actor, UserActor } from './actor.js';
import { bearerToken, hashApiToken } from './api-tokens.js';
import type { Auth } from './auth.js';

const ANONYMOUS: Actor = { kind: 'anonymous' };

function toActor(
  user: Pick<repo.UserRow, 'id' | 'email' | 'name' | 'role' | 'organisationId'>,
  via: UserActor['via'],
  sessionId: string | null,
  token?: UserActor['token'],
): UserActor {
  return {
    ...(token && { token }),
    kind: 'user',
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId,
    via,
    sessionId,
  };
}

export function registerAuthentication(
  app: FastifyInstance,
  deps: { db: Database; auth: Auth; config: Pick<Config, 'session'> },
): void {
  const { db, auth, config } = deps;

  async function fromToken(token: string): Promise<Actor> {
    const found = await repo.findActiveToken(db, hashApiToken(token));
    if (!found || found.user.disabledAt) return ANONYMOUS;
    // At most once a minute (touchToken checks again in SQL): most requests need no write at all.
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) await repo.touchToken(db, found.tokenId);
    return toActor(found.user, 'token', null, { scope: found.scope, expiresAt: found.expiresAt });
  }

  async function fromSession(request: FastifyRequest): Promise<Actor> {
    const result = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
    if (!result) return ANONYMOUS;
    const user = await repo.findUserById(db, result.user.id);
    const absoluteEnd = result.session.createdAt.getTime() + config.session.maxHours * 3_600_000;
    if (!user || user.disabledAt || Date.now() > absoluteEnd) {
      await repo.deleteSession(db, result.session.id);
      return ANONYMOUS;
    }
    return toActor(user, 'session', result.session.id);
  }

  // null until onRequest sets it: Fastify shares a decorator's initial object across requests.
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token) request.actor = await fromToken(token);
    else if (request.headers.cookie?.includes('session_token')) request.actor = await fromSession(request);
    else request.actor = ANONYMOUS;
  });
}
