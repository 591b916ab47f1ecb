/**
 * Signing in and out. better-auth checks the password and makes the session; kloe adds what it does not
 * do: one answer for every failure that must not reveal whether an account exists, growing waits after
 * repeated failures (sign-in-throttle.ts) in place of a lock-out anyone could trigger, disabled accounts
 * refused, and the audit trail.
 */
import { APIError } from 'better-auth/api';
import type { Database } from '../../db/database.js';
import * as repo from './accounts.repository.js';
import { hashPassword, verifyPassword, type Auth } from './auth.js';
import { throttleKeys } from './sign-in-throttle.js';
import * as throttles from './sign-in-throttle.repository.js';

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('a password nobody has, for equal timing'));

export type SignInOutcome =
  | { ok: true; userId: string; setCookies: string[] }
  | { ok: false; reason: 'invalid' }
  /** Too many failures for this email or from this address: no password is checked before `until`. */
  | { ok: false; reason: 'wait'; until: Date };

export function createSignInService(deps: { db: Database; auth: Auth; now?: () => Date }) {
  const { db, auth } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** `address` is the client's IP address, which the throttle counts along with the email. */
    async signIn(email: string, password: string, headers: Headers, address: string): Promise<SignInOutcome> {
      const keys = throttleKeys(email, address);
      const until = await throttles.waitingUntil(
        db,
        keys.map((k) => k.key),
        now(),
      );
      // Known or unknown, the same answer: the counters are the email's as typed, not the account's.
      if (until) return { ok: false, reason: 'wait', until };
      const user = email ? await repo.findUserByEmail(db, email) : undefined;
      const fail = async (): Promise<SignInOutcome> => {
        await throttles.countFailure(db, keys, now());
        return { ok: false, reason: 'invalid' };
      };
      if (!user || user.disabledAt || !password) {
        // Unknown and disabled accounts fail like a wrong password, and take as long: a password is still checked.
        await verifyPassword(await dummyHash(), password || 'x');
        return fail();
      }
      try {
        const result = await auth.api.signInEmail({ body: { email, password }, headers, returnHeaders: true });
        // This email's counters from here and from anywhere; the address's own counts on (other emails).
        await throttles.clearFailures(
          db,
          keys.filter((k) => k.rule.scope !== 'address').map((k) => k.key),
        );
        return { ok: true, userId: user.id, setCookies: result.headers.getSetCookie() };
      } catch (error) {
        if (error instanceof APIError && error.status === 'UNAUTHORIZED') return fail();
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
