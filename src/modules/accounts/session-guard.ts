/**
 * better-auth's session.create.before hook: no session is ever made for a disabled or locked person,
 * whichever way they signed in. Password sign-in (sign-in.service.ts) and single sign-on (sso.service.ts)
 * refuse them earlier with messages of their own; this is the last word, should a person be disabled or
 * locked between that check and the session.
 */
import { APIError } from 'better-auth/api';
import type { Database } from '../../db/database.js';
import * as repo from './accounts.repository.js';

export type SessionRefusal = { reason: 'disabled' } | { reason: 'locked'; until: Date };

export function sessionRefusal(user: repo.UserRow): SessionRefusal | undefined {
  if (user.disabledAt) return { reason: 'disabled' };
  if (user.lockedUntil && user.lockedUntil > new Date()) return { reason: 'locked', until: user.lockedUntil };
  return undefined;
}

export async function refuseBarredPeople(db: Database, userId: string): Promise<void> {
  const user = await repo.findUserById(db, userId);
  const refusal = user && sessionRefusal(user);
  if (refusal) throw new APIError('FORBIDDEN', { message: `No session for a ${refusal.reason} account` });
}
