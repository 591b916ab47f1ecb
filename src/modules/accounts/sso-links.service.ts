/**
 * The provider identities linked to a person, for administrators: listed on the person's page, and
 * unlinked (audited) when one is wrong or no longer theirs. After unlinking, the next single sign-on
 * matches by the provider-verified email address again, as the first one did.
 */
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit/index.js';
import type { UserActor } from './actor.js';
import { notFound } from '../../errors.js';
import { SSO_PROVIDER_IDS } from './sso.provider.js';
import * as ssoRepo from './sso.repository.js';

export function createSsoLinksService(deps: { db: Database }) {
  const { db } = deps;
  return {
    list: (userId: string) => ssoRepo.listLinks(db, userId, SSO_PROVIDER_IDS),

    async unlink(userId: string, linkId: string, actor: UserActor): Promise<void> {
      await db.transaction(async (tx) => {
        const removed = await ssoRepo.deleteLink(tx, userId, linkId, SSO_PROVIDER_IDS);
        if (!removed) throw notFound('sso_link_not_found', `No single sign-on identity ${linkId} for this person`);
        await recordAudit(tx, {
          actor,
          action: 'user.sso_unlinked',
          entityType: 'user',
          entityId: userId,
          before: { provider: removed.providerId, subject: removed.accountId },
        });
      });
    },
  };
}

export type SsoLinksService = ReturnType<typeof createSsoLinksService>;
