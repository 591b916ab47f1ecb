/**
 * API tokens of the signed-in person: made (shown once) with a scope and an expiry, listed, revoked — each
 * audited. A token made with another token expires no later than that one.
 */
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './accounts.repository.js';
import type { TokenScope } from './accounts.tables.js';
import { tokenNotFound } from './accounts.errors.js';
import type { UserActor } from './actor.js';
import { generateApiToken } from './api-tokens.js';

const DAY = 86_400_000;

export function createApiTokensService(deps: { db: Database }) {
  const { db } = deps;
  return {
    list: (actor: UserActor) => repo.listTokensOf(db, actor.userId),

    /** Returns the token itself: the only time it is ever seen, as only its hash is kept. */
    async create(actor: UserActor, input: { name: string; scope: TokenScope; expiresInDays: number }) {
      const { name, scope } = input;
      const asked = new Date(Date.now() + input.expiresInDays * DAY);
      // Made with a token, it expires no later than that one: else a token could renew itself for ever.
      const expiresAt = actor.token && actor.token.expiresAt < asked ? actor.token.expiresAt : asked;
      const { token, prefix, tokenHash } = generateApiToken();
      const row = await db.transaction(async (tx) => {
        const created = await repo.insertToken(tx, { userId: actor.userId, name, prefix, tokenHash, scope, expiresAt });
        await recordAudit(tx, {
          actor,
          action: 'api_token.created',
          entityType: 'user',
          entityId: actor.userId,
          after: { tokenId: created.id, name, prefix, scope, expiresAt },
        });
        return created;
      });
      return { token, row };
    },

    async revoke(actor: UserActor, tokenId: string) {
      await db.transaction(async (tx) => {
        const revoked = await repo.revokeToken(tx, actor.userId, tokenId);
        if (!revoked) throw tokenNotFound(tokenId);
        await recordAudit(tx, {
          actor,
          action: 'api_token.revoked',
          entityType: 'user',
          entityId: actor.userId,
          before: { tokenId, name: revoked.name },
        });
      });
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
