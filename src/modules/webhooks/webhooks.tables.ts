import { bigint, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';

export const ENDPOINT_STATES = ['active', 'paused'] as const;
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;

/** Where another system wants to be told of events: registered by an administrator, its owner. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull(),
    description: text('description'),
    /** The signing secret (Standard Webhooks: "whsec_" and base64): in the API's answer to registering, and on its page. */
    secret: text('secret').notNull(),
    events: text('events').array().notNull(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    state: text('state', { enum: ENDPOINT_STATES }).notNull().default('active'),
    /** Deliveries failed in a row; at the limit the endpoint is paused and its owner told. */
    failuresInRow: integer('failures_in_row').notNull().default(0),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    pausedReason: text('paused_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('webhook_endpoints_url_unique').on(t.url)],
);

/** One event sent (or to be sent) to one endpoint: the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (the webhook-id header): the same on every attempt, so receivers can drop repeats. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state', { enum: DELIVERY_STATES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  },
  (t) => [index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt)],
);

/** How far through the audit trail events have been dispatched (one row). */
export const webhookCursor = pgTable('webhook_cursor', {
  id: integer('id').primaryKey(),
  lastAuditId: bigint('last_audit_id', { mode: 'number' }).notNull(),
});
