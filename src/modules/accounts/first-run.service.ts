/**
 * A kloe with no administrator gets one at start: from KLOE_ADMIN_EMAIL / KLOE_ADMIN_PASSWORD when set,
 * otherwise as admin@localhost with no password and a one-time setup link (valid 24 hours) printed by
 * `kloe serve`, through which the person opening it gives their own email address and chooses the password.
 * admin@localhost is only a placeholder: better-auth signs in only addresses with a dot in the domain.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './accounts.repository.js';
import { verifications } from './accounts.tables.js';
import { emailTaken, weakPassword } from './accounts.errors.js';
import type { AccountsService } from './accounts.service.js';
import { hashApiToken } from './api-tokens.js';
import { hashPassword } from './auth.js';
import { passwordProblem } from './password-policy.js';

const SETUP = 'setup:';
const FIRST_RUN = { kind: 'system', label: 'first run' } as const;
export const SETUP_ADMIN_EMAIL = 'admin@localhost';

export type FirstRunOutcome = { kind: 'created'; email: string } | { kind: 'link'; email: string; url: string };

export function createFirstRunService(deps: {
  db: Database;
  accounts: AccountsService;
  config: Pick<Config, 'admin' | 'baseUrl'>;
}) {
  const { db, accounts, config } = deps;

  /** The person a setup link is for, while it is valid. */
  async function findSetup(token: string) {
    const [row] = await db
      .select()
      .from(verifications)
      .where(and(eq(verifications.value, hashApiToken(token)), gt(verifications.expiresAt, new Date())));
    if (!row?.identifier.startsWith(SETUP)) return undefined;
    return repo.findUserById(db, row.identifier.slice(SETUP.length));
  }

  return {
    findSetup,

    /** Makes the administrator, or a new link while the only one is still the placeholder (the last may have expired). */
    async ensureAdministrator(): Promise<FirstRunOutcome | undefined> {
      const placeholder = await accounts.findByEmail(SETUP_ADMIN_EMAIL);
      const placeholderCounts = placeholder?.role === 'administrator' && !placeholder.disabledAt;
      if ((await accounts.countAdministrators()) - (placeholderCounts ? 1 : 0) > 0) return undefined;
      if (config.admin) {
        await accounts.create(
          { name: 'Administrator', ...config.admin, role: 'administrator', organisationId: null },
          FIRST_RUN,
        );
        return { kind: 'created', email: config.admin.email };
      }
      const user =
        placeholder ??
        (await accounts.create(
          {
            name: 'Administrator',
            email: SETUP_ADMIN_EMAIL,
            role: 'administrator',
            organisationId: null,
            password: null,
          },
          FIRST_RUN,
        ));
      const token = randomBytes(24).toString('base64url');
      await db.delete(verifications).where(eq(verifications.identifier, `${SETUP}${user.id}`));
      await db.insert(verifications).values({
        id: randomBytes(12).toString('hex'),
        identifier: `${SETUP}${user.id}`,
        value: hashApiToken(token),
        expiresAt: new Date(Date.now() + 24 * 3_600_000),
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      return { kind: 'link', email: SETUP_ADMIN_EMAIL, url: `${config.baseUrl}/setup/${token}` };
    },

    /**
     * Gives the administrator their email address (already checked by setupBody) and password, and uses the
     * link up, in one transaction: the link is spent only when the person can then sign in.
     */
    async completeSetup(token: string, input: { email: string; password: string }) {
      const user = await findSetup(token);
      if (!user) return undefined;
      const email = input.email.toLowerCase();
      const problem = passwordProblem(input.password, email);
      if (problem) throw weakPassword(problem);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const holder = await repo.findUserByEmail(tx, email);
        if (holder && holder.id !== user.id) throw emailTaken(email);
        const updated = (await repo.updateUser(tx, user.id, { email }))!;
        await repo.setPasswordHash(tx, user.id, passwordHash);
        await tx.delete(verifications).where(eq(verifications.identifier, `${SETUP}${user.id}`));
        await recordAudit(tx, {
          actor: FIRST_RUN,
          action: 'user.password_set',
          entityType: 'user',
          entityId: user.id,
          before: { email: user.email },
          after: { email },
        });
        return updated;
      });
    },
  };
}

export type FirstRunService = ReturnType<typeof createFirstRunService>;
