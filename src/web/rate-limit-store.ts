/**
 * A store for @fastify/rate-limit that keeps its counters in the database (rate_limit_counters), so a
 * limit counts requests across every kloe node on one PostgreSQL, and across restarts. One statement per
 * request: an upsert that starts a new window when the last one has ended, else counts one more.
 */
import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/** Counters whose window ended this long ago are removed, now and then, by whichever request comes. */
const SWEEP_EVERY = 200;

export function databaseRateLimitStore(db: Database): FastifyRateLimitStoreCtor {
  let calls = 0;
  const sweep = async () => {
    await db.execute(sql`delete from rate_limit_counters where resets_at < now() - interval '1 hour'`);
  };
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly namespace: string;
    constructor(_options: unknown, namespace = '') {
      this.namespace = namespace;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      const hashed = createHash('sha256').update(`${this.namespace}\n${key}`).digest('hex');
      const window = sql`(${timeWindow}::int * interval '1 millisecond')`;
      db.execute(
        sql`insert into rate_limit_counters as c (key, hits, resets_at) values (${hashed}, 1, now() + ${window})
          on conflict (key) do update set
            hits = case when c.resets_at <= now() then 1 else c.hits + 1 end,
            resets_at = case when c.resets_at <= now() then now() + ${window} else c.resets_at end
          returning hits, greatest(0, ceil(extract(epoch from (resets_at - now())) * 1000))::int as ttl`,
      ).then(
        (result) => {
          const row = (result as unknown as { rows: { hits: number; ttl: number }[] }).rows[0]!;
          callback(null, { current: row.hits, ttl: row.ttl });
          if (++calls % SWEEP_EVERY === 0) sweep().catch(() => {});
        },
        (error: unknown) => callback(error as Error),
      );
    }

    // Each route counts on its own, as the in-memory store does. The plugin passes the route's limit
    // settings with the route under `routeInfo` (its types say the route itself).
    child(options: Parameters<FastifyRateLimitStore['child']>[0]) {
      const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new DatabaseRateLimitStore(undefined, `${String(route?.method)} ${route?.url}`);
    }
  };
}
