import { sql } from 'drizzle-orm';
import { index, integer, json, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { FrameworkDocument } from './framework.model.js';

/** A framework as a family of versions sharing one slug. */
export const frameworks = pgTable('frameworks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  publisher: text('publisher'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One immutable version of a framework. The whole document is kept as imported (exports give it back
 * byte for byte); the statements are also laid out relationally below so that findings and evidence
 * links can reference them with foreign keys and full-text search can reach them.
 */
export const frameworkVersions = pgTable(
  'framework_versions',
  {
    id: serial('id').primaryKey(),
    frameworkId: text('framework_id')
      .notNull()
      .references(() => frameworks.id),
    version: integer('version').notNull(),
    /** SHA-256 of the canonical JSON: an unchanged re-import is recognised and makes no new version. */
    contentHash: text('content_hash').notNull(),
    // json, not jsonb: it keeps the document's key order, so an export is byte-identical to the import.
    document: json('document').$type<FrameworkDocument>().notNull(),
    /** Where it came from, e.g. "built-in" or the imported file's name. */
    source: text('source').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.frameworkId, t.version), unique().on(t.frameworkId, t.contentHash)],
);

export const frameworkStatements = pgTable(
  'framework_statements',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => frameworkVersions.id, { onDelete: 'cascade' }),
    /** e.g. "5.2.4-P7", or "5.2.4-P7.3" for a sub-item. */
    ref: text('ref').notNull(),
    kloeRef: text('kloe_ref').notNull(),
    level: text('level').notNull(),
    /** The statement a sub-item belongs to; null for statements. */
    parentRef: text('parent_ref'),
    position: integer('position').notNull(),
    text: text('text').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.ref] }),
    index('framework_statements_kloe_idx').on(t.versionId, t.kloeRef),
    index('framework_statements_text_idx').using('gin', sql`to_tsvector('english', ${t.text})`),
  ],
);
