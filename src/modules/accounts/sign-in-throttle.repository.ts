/** The sign-in throttle counters (sign-in-throttle.ts): read before an attempt, counted after a failure. */
import { eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { signInThrottles } from './accounts.tables.js';
import { THROTTLE_WINDOW_MS, waitSeconds, type ThrottleKey } from './sign-in-throttle.js';

/** The latest time any of the keys must wait until, if it is later than now. */
export async function waitingUntil(db: Database, keys: string[], now: Date): Promise<Date | undefined> {
  const rows = await db
    .select({ waitUntil: signInThrottles.waitUntil })
    .from(signInThrottles)
    .where(inArray(signInThrottles.key, keys));
  const latest = Math.max(0, ...rows.map((r) => r.waitUntil.getTime()));
  return latest > now.getTime() ? new Date(latest) : undefined;
}

/**
 * A new counter's wait: none. Not the failure's own time, which an attempt that read the counters a moment
 * before it (another sign-in from the same address, at the same time) would take for a wait still running.
 */
const NO_WAIT = new Date(0);

/**
 * Counts a failure under each key (starting again after a quiet window) and sets how long each must now wait;
 * one statement per key, so that two processes counting at once both count. Forgets counters gone quiet.
 */
export async function countFailure(db: Database, keys: ThrottleKey[], now: Date) {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  await db.transaction(async (tx) => {
    for (const { rule, key, emailKey } of keys) {
      const [row] = await tx
        .insert(signInThrottles)
        .values({ key, emailKey, failures: 1, lastFailureAt: now, waitUntil: NO_WAIT })
        .onConflictDoUpdate({
          target: signInThrottles.key,
          set: {
            failures: sql`case when ${signInThrottles.lastFailureAt} < ${windowStart.toISOString()}::timestamptz then 1 else ${signInThrottles.failures} + 1 end`,
            lastFailureAt: now,
          },
        })
        .returning({ failures: signInThrottles.failures });
      const wait = waitSeconds(row!.failures, rule);
      if (wait > 0) {
        await tx
          .update(signInThrottles)
          .set({ waitUntil: new Date(now.getTime() + wait * 1000) })
          .where(eq(signInThrottles.key, key));
      }
    }
    await tx.delete(signInThrottles).where(lt(signInThrottles.lastFailureAt, windowStart));
  });
}

/** Forgets the keys' failures: after a successful sign-in, this email's from this address and from anywhere. */
export async function clearFailures(db: Database, keys: string[]): Promise<void> {
  await db.delete(signInThrottles).where(inArray(signInThrottles.key, keys));
}

/** Forgets every failure on an email, from every address: an administrator has set a new password. */
export async function clearFailuresOfEmail(db: Database, emailKey: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.emailKey, emailKey));
}
