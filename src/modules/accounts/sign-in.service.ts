/**
 * Signing in and out. better-auth checks the password and makes the session; kloe adds what it does not
 * do: one message for every failure that must not reveal whether an account exists, lock-out after
 * repeated failures (told plainly to the person), disabled accounts refused, and the audit trail.
 */
import { APIError } from 'better-auth/api';
import type { Database } from '../../db/database.js';
import { recordAudit } from '../audit/audit.recorder.js';
import * as repo from './accounts.repository.js';
import { hashPassword, verifyPassword, type Auth } from './auth.js';

export const LOCKOUT = { attempts: 5, minutes: 15 } as const;

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('a password nobody has, for equal timing'));

export type SignInOutcome =
  | { ok: true; userId: string; setCookies: string[] }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

export function createSignInService(deps: { db: Database; auth: Auth }) {
  const { db, auth } = deps;

  async function recordFailure(user: repo.UserRow): Promise<SignInOutcome> {
    const failures = user.failedSignIns + 1;
    if (failures < LOCKOUT.attempts) {
      await repo.updateUser(db, user.id, { failedSignIns: failures });
      return { ok: false, reason: 'invalid' };
    }
    const until = new Date(Date.now() + LOCKOUT.minutes * 60_000);
    await db.transaction(async (tx) => {
      await repo.updateUser(tx, user.id, { failedSignIns: 0, lockedUntil: until });
      await recordAudit(tx, {
        actor: { kind: 'system', label: 'sign-in' },
        action: 'user.locked_out',
        entityType: 'user',
        entityId: user.id,
        after: { lockedUntil: until, failedAttempts: failures },
      });
    });
    return { ok: false, reason: 'locked', until };
  }

  return {
    async signIn(email: string, password: string, headers: Headers): Promise<SignInOutcome> {
      const user = email ? await repo.findUserByEmail(db, email) : undefined;
      if (user?.lockedUntil && user.lockedUntil > new Date())
        return { ok: false, reason: 'locked', until: user.lockedUntil };
      if (!user || user.disabledAt || !password) {
        // Unknown and disabled accounts fail like a wrong password, and take as long: a password is still checked.
        await verifyPassword(await dummyHash(), password || 'x');
        return { ok: false, reason: 'invalid' };
      }
      try {
        const result = await auth.api.signInEmail({ body: { email, password }, headers, returnHeaders: true });
        await repo.updateUser(db, user.id, { failedSignIns: 0, lockedUntil: null });
        return { ok: true, userId: user.id, setCookies: result.headers.getSetCookie() };
      } catch (error) {
        if (error instanceof APIError && error.status === 'UNAUTHORIZED') return recordFailure(user);
        throw error;
      }
    },

    /** Ends this browser's session; returns the Set-Cookie headers that clear its cookie. */
    async signOut(headers: Headers): Promise<string[]> {
      const result = await auth.api.signOut({ headers, returnHeaders: true }).catch(() => undefined);
      return result?.headers.getSetCookie() ?? [];
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
