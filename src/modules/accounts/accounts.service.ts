/** Managing people: creating them, their roles, disabling, passwords. Every change is audited with it. */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import { AppError } from '../../errors.js';
import { recordAudit, type AuditEntryInput } from '../audit/index.js';
import * as repo from './accounts.repository.js';
import { emailKeyOf } from './sign-in-throttle.js';
import * as throttles from './sign-in-throttle.repository.js';
import type { Role } from './accounts.tables.js';
import {
  emailTaken,
  organisationRequired,
  unknownOrganisation,
  userNotFound,
  weakPassword,
} from './accounts.errors.js';
import { hashPassword } from './auth.js';
import { passwordProblem } from './password-policy.js';

type By = AuditEntryInput['actor'];

/** What the audit trail and the API show of a person: never a password or its hash. */
export function publicUser(user: repo.UserRow) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    organisationId: user.organisationId,
    disabled: user.disabledAt !== null,
    lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null,
    createdAt: user.createdAt,
  };
}

export function createAccountsService(deps: { db: Database }) {
  const { db } = deps;

  async function getUser(id: string) {
    const user = await repo.findUserById(db, id);
    if (!user) throw userNotFound(id);
    return user;
  }

  /** A member belongs to an organisation, and an organisation given must exist (a 400 naming it, not a failed insert). */
  async function checkOrganisation(role: Role, organisationId: string | null | undefined) {
    if (role === 'organisation_member' && !organisationId) throw organisationRequired();
    if (organisationId && !(await repo.organisationExists(db, organisationId))) throw unknownOrganisation();
  }

  async function update(
    id: string,
    by: By,
    action: string,
    /** Only what the people routes change; the check for "nothing changes" below covers each of them. */
    change: Pick<NonNullable<Parameters<typeof repo.updateUser>[2]>, 'role' | 'organisationId' | 'disabledAt'>,
    reason?: string,
  ) {
    return db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw userNotFound(id);
      // Asking for what already holds changes nothing: no write, and no audit entry claiming a change.
      const unchanged =
        (change.role === undefined || change.role === before.role) &&
        (change.organisationId === undefined || change.organisationId === before.organisationId) &&
        (change.disabledAt === undefined || Boolean(change.disabledAt) === Boolean(before.disabledAt));
      if (unchanged) return before;
      const losesAdministration =
        before.role === 'administrator' &&
        !before.disabledAt &&
        (Boolean(change.disabledAt) || (change.role !== undefined && change.role !== 'administrator'));
      // Someone must always be able to manage people: kloe never loses its last active administrator.
      if (losesAdministration && (await repo.countUsersWithRole(tx, 'administrator')) <= 1) {
        throw new AppError(
          'last_administrator',
          409,
          'This is the only active administrator: make someone else an administrator first',
        );
      }
      const after = (await repo.updateUser(tx, id, change))!;
      if (change.disabledAt) {
        // Enabling the person again later must not bring their tokens back.
        await repo.deleteSessionsOf(tx, id);
        await repo.revokeTokensOf(tx, id);
      }
      await recordAudit(tx, {
        actor: by,
        action,
        entityType: 'user',
        entityId: id,
        before: publicUser(before),
        after: publicUser(after),
        reason: reason ?? null,
      });
      return after;
    });
  }

  return {
    getUser,
    list: () => repo.listUsers(db),
    findByEmail: (email: string) => repo.findUserByEmail(db, email),
    countAdministrators: () => repo.countUsersWithRole(db, 'administrator'),
    organisationChoices: () => repo.listOrganisationChoices(db),
    organisationIdByCode: (code: string) => repo.findOrganisationIdByCode(db, code),

    async create(
      input: { name: string; email: string; role: Role; organisationId: string | null; password: string | null },
      by: By,
    ) {
      await checkOrganisation(input.role, input.organisationId);
      if (input.password !== null) {
        const problem = passwordProblem(input.password, input.email);
        if (problem) throw weakPassword(problem);
      }
      const passwordHash = input.password === null ? null : await hashPassword(input.password);
      try {
        return await db.transaction(async (tx) => {
          if (await repo.findUserByEmail(tx, input.email)) throw emailTaken(input.email.toLowerCase());
          const user = await repo.insertUser(tx, { ...input, id: randomUUID() });
          if (passwordHash) await repo.setPasswordHash(tx, user.id, passwordHash);
          await recordAudit(tx, {
            actor: by,
            action: 'user.created',
            entityType: 'user',
            entityId: user.id,
            after: publicUser(user),
          });
          return user;
        });
      } catch (error) {
        if (violatedUniqueConstraint(error) !== undefined) throw emailTaken(input.email.toLowerCase());
        throw error;
      }
    },

    async setRole(id: string, role: Role, organisationId: string | null, by: By, reason?: string) {
      await checkOrganisation(role, organisationId);
      return update(id, by, 'user.role_changed', { role, organisationId }, reason);
    },

    /** Disabling ends every session and revokes every API token at once; enabling again brings neither back. */
    async setDisabled(id: string, disabled: boolean, by: By, reason?: string) {
      if (disabled && by.kind === 'user' && by.userId === id) {
        throw new AppError('cannot_disable_self', 409, 'You cannot disable your own account');
      }
      return update(
        id,
        by,
        disabled ? 'user.disabled' : 'user.enabled',
        { disabledAt: disabled ? new Date() : null },
        reason,
      );
    },

    /**
     * A new password also ends the person's sessions, revokes their API tokens (whoever had the old password may
     * have made some) and forgets the failed sign-ins on their email, so they need not wait to use it.
     */
    async resetPassword(id: string, password: string, by: By) {
      const user = await getUser(id);
      const problem = passwordProblem(password, user.email);
      if (problem) throw weakPassword(problem);
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        await repo.setPasswordHash(tx, id, passwordHash);
        await throttles.clearFailuresOfEmail(tx, emailKeyOf(user.email));
        await repo.deleteSessionsOf(tx, id);
        const tokensRevoked = await repo.revokeTokensOf(tx, id);
        await recordAudit(tx, {
          actor: by,
          action: 'user.password_reset',
          entityType: 'user',
          entityId: id,
          after: { tokensRevoked },
        });
      });
    },

    async signOutEverywhere(id: string, by: By) {
      return db.transaction(async (tx) => {
        const ended = await repo.deleteSessionsOf(tx, id);
        await recordAudit(tx, {
          actor: by,
          action: 'user.signed_out_everywhere',
          entityType: 'user',
          entityId: id,
          after: { sessionsEnded: ended },
        });
        return ended;
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
