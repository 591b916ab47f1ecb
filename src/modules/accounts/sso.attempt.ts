/**
 * What one single sign-on callback learned on its way through better-auth. better-auth answers a
 * failed callback with nothing but a redirect carrying an error code, yet kloe's page must name the
 * email address the provider vouched for ("ask an administrator to add …") and say why a known person
 * was refused. So the callback runs inside an AsyncLocalStorage context, and better-auth's own hooks
 * (the profile mapping, the session hook) note here what they saw.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { APIError } from 'better-auth/api';
import type { Database } from '../../db/database.js';
import * as repo from './accounts.repository.js';

export type SessionRefusal = { reason: 'disabled' } | { reason: 'locked'; until: Date };

export interface SsoAttempt {
  /** The email address in the provider's verified ID token (or userinfo), if it sent one. */
  email?: string;
  /** Whether the provider vouched that the address is the person's. */
  emailVerified?: boolean;
  refusal?: SessionRefusal;
}

/** The error code better-auth's callback puts in its redirect when the session hook refuses. */
export const SESSION_REFUSED = 'SESSION_REFUSED';

const attempts = new AsyncLocalStorage<SsoAttempt>();

export function runSsoAttempt<T>(fn: (attempt: SsoAttempt) => Promise<T>): Promise<T> {
  const attempt: SsoAttempt = {};
  return attempts.run(attempt, () => fn(attempt));
}

export function noteSsoProfile(email: string | undefined, emailVerified: boolean): void {
  const attempt = attempts.getStore();
  if (attempt) Object.assign(attempt, { email, emailVerified });
}

/**
 * better-auth's session.create.before hook: no session is ever made for a disabled or locked person,
 * whichever way they signed in. The password path refuses them earlier, with its own deliberately vague
 * message; single sign-on only learns who the person is inside better-auth's callback, so it is refused
 * here, and the reason is noted for its page.
 */
export async function refuseBarredPeople(db: Database, userId: string): Promise<void> {
  const user = await repo.findUserById(db, userId);
  const refusal: SessionRefusal | undefined = !user
    ? undefined
    : user.disabledAt
      ? { reason: 'disabled' }
      : user.lockedUntil && user.lockedUntil > new Date()
        ? { reason: 'locked', until: user.lockedUntil }
        : undefined;
  if (!refusal) return;
  const attempt = attempts.getStore();
  if (attempt) attempt.refusal = refusal;
  throw new APIError('FORBIDDEN', { code: SESSION_REFUSED, message: `No session for a ${refusal.reason} account` });
}
