import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The append-only audit trail. Each entry's hash covers its content and the previous entry's hash,
 * so editing or deleting an entry breaks the chain from that point (see audit-chain.ts).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** User id, or null for the system (first run, imports, CLI without a user). */
    actorId: text('actor_id'),
    /** Who, as shown: "Ada Lovelace <ada@example.test>" or "system (kloe user create)". */
    actorLabel: text('actor_label').notNull(),
    /** e.g. "organisation.created", "user.role_changed". */
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_actor_idx').on(t.actorId),
    index('audit_log_at_idx').on(t.at),
  ],
);

/**
 * Anchors kloe has published: the chain's newest entry (id and hash) at the moment a published report
 * was made, printed in that report. Every check of the chain holds it to each of them, so deleting the
 * newest entries is found without anyone keeping an anchor by hand; and the printed copies outside
 * kloe still serve with --anchor when this table itself has been emptied.
 */
export const auditAnchors = pgTable('audit_anchors', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  entryId: bigint('entry_id', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  /** Where it was published, e.g. "the pdf report of assessment 3f2b… (revision 1)". */
  publishedIn: text('published_in').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});
