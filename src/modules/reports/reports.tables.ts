import { customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from '../assessments/assessments.tables.js';
import { organisations } from '../organisations/organisations.tables.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * The report of a published assessment, stored the first time it is generated in each format, so that
 * every later download is the same file (a published revision never changes; reopening makes a new one).
 */
export const reportFiles = pgTable(
  'report_files',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    /**
     * html, docx, pdf, json, ratings.csv, findings.csv, template:<template id>, public.html, public.pdf, or
     * page.html (the report as the report page shows it, inside kloe's layout).
     */
    format: text('format').notNull(),
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** The audit chain's head printed in the file ("ENTRY:HASH"), shown again on the report's pages. */
    auditAnchor: text('audit_anchor'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.format] })],
);

/**
 * A custom DOCX report template (see template-docx.ts), kept only once its placeholders have passed the
 * checks. An organisation's templates serve its own assessments; one without an organisation is shared
 * by every assessment and managed by administrators.
 */
export const reportTemplates = pgTable(
  'report_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** The template's commands, each once, in document order, e.g. "INS organisation.name". */
    placeholders: jsonb('placeholders').$type<string[]>().notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('report_templates_organisation_idx').on(t.organisationId, t.name)],
);

/**
 * The executive summary of an assessment's report, written by its lead: what the judgement is and why, in
 * a few paragraphs, shown first in the report. Fixed once the assessment is published.
 */
export const reportSummaries = pgTable('report_summaries', {
  assessmentId: uuid('assessment_id')
    .primaryKey()
    .references(() => assessments.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  updatedBy: text('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The inspectorate's branding on every report: its name and logo (a PNG re-encoded by kloe from an
 * administrator's upload). One row, id "inspectorate".
 */
export const reportBranding = pgTable('report_branding', {
  id: text('id').primaryKey(),
  name: text('name'),
  logoPng: bytea('logo_png'),
  logoWidth: integer('logo_width'),
  logoHeight: integer('logo_height'),
  updatedBy: text('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
