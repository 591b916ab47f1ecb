/** API tokens of the signed-in person: made (shown once), listed, revoked — each audited. */
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit/audit.recorder.js';
import * as repo from './accounts.repository.js';
import { tokenNotFound } from './accounts.errors.js';
import type { UserActor } from './actor.js';
import { generateApiToken } from './api-tokens.js';

export function createApiTokensService(deps: { db: Database }) {
  const { db } = deps;
  return {
    list: (actor: UserActor) => repo.listTokensOf(db, actor.userId),

    /** Returns the token itself: the only time it is ever seen, as only its hash is kept. */
    async create(actor: UserActor, name: string) {
      const { token, prefix, tokenHash } = generateApiToken();
      const row = await db.transaction(async (tx) => {
        const created = await repo.insertToken(tx, { userId: actor.userId, name, prefix, tokenHash });
        await recordAudit(tx, {
          actor,
          action: 'api_token.created',
          entityType: 'user',
          entityId: actor.userId,
          after: { tokenId: created.id, name, prefix },
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
