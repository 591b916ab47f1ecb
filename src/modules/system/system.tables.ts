import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Installation-wide values kloe makes for itself, e.g. the signing secret when KLOE_SECRET is not set. */
export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Request counters of the per-route rate limits (@fastify/rate-limit), in the database so that every node
 * behind a load balancer counts the same requests. The key is a hash of the route and the client's address.
 */
export const rateLimitCounters = pgTable('rate_limit_counters', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetsAt: timestamp('resets_at', { withTimezone: true }).notNull(),
});
