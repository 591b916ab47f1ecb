/**
 * How failed password sign-ins slow further attempts down, instead of locking the account: after a few free
 * failures each one makes the next attempt wait, twice as long each time up to a cap. Three counters, each
 * forgotten an hour after its last failure:
 * - this email from this address: the guesser is slowed to a crawl, the account's owner elsewhere is not;
 * - this email from anywhere: guessing from many addresses is slowed too, but only ever by a minute at a
 *   time, so nobody can shut the owner out before a deadline;
 * - this address for any email: trying one password on many accounts.
 * Counters are kept by the email typed, whether or not anyone has it, so known and unknown addresses are
 * answered alike; and as hashes, so the table holds no addresses people mistyped.
 */
import { createHash } from 'node:crypto';

export interface ThrottleRule {
  scope: 'email-and-address' | 'email' | 'address';
  /** Failures allowed before any wait. */
  free: number;
  /** The longest wait, in seconds. */
  capSeconds: number;
}

export const THROTTLE_RULES: readonly ThrottleRule[] = [
  { scope: 'email-and-address', free: 3, capSeconds: 15 * 60 },
  { scope: 'email', free: 10, capSeconds: 60 },
  { scope: 'address', free: 20, capSeconds: 15 * 60 },
];

/** A counter's failures are forgotten this long after the last one. */
export const THROTTLE_WINDOW_MS = 60 * 60_000;

/** The first wait, in seconds; each further failure doubles it. */
const FIRST_WAIT_SECONDS = 2;

/** Seconds to wait after a counter's nth failure under a rule. */
export function waitSeconds(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.capSeconds, FIRST_WAIT_SECONDS * 2 ** (failures - rule.free - 1));
}

export interface ThrottleKey {
  rule: ThrottleRule;
  key: string;
  /** The email's own hash on the counters about it, so that a new password can clear them all. */
  emailKey: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash standing for an email (as typed, any case) on its counters. */
export const emailKeyOf = (email: string) => sha256(`email\n${email.toLowerCase()}`);

/** The counters an attempt touches: each rule's key, for one email (as typed, any case) and one address. */
export function throttleKeys(email: string, address: string): ThrottleKey[] {
  const lower = email.toLowerCase();
  const parts = { 'email-and-address': `${lower}\n${address}`, email: lower, address };
  return THROTTLE_RULES.map((rule) => ({
    rule,
    key: sha256(`${rule.scope}\n${parts[rule.scope]}`),
    emailKey: rule.scope === 'address' ? null : emailKeyOf(lower),
  }));
}
