import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  date,
  index,
  real,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from '../assessments/assessments.tables.js';

export const EVIDENCE_KINDS = [
  'document',
  'interview',
  'focus_group',
  'site_visit',
  'survey',
  'performance_data',
  'observation',
  'correspondence',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EXTRACTION_STATUSES = ['pending', 'done', 'failed', 'none'] as const;
export type ExtractionStatus = (typeof EXTRACTION_STATUSES)[number];

export const LINK_STANCES = ['supports', 'contradicts'] as const;
export type LinkStance = (typeof LINK_STANCES)[number];

export const SUGGESTION_STATUSES = ['open', 'accepted', 'dismissed'] as const;
export const REQUEST_STATUSES = ['open', 'answered'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/** PostgreSQL's tsvector, only ever written by the database (generated columns). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Something a judgement rests on, inside one assessment. Interviews and site visits may be notes alone. */
export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    kind: text('kind', { enum: EVIDENCE_KINDS }).notNull(),
    /** Who provided it (a person, a team, a system). */
    source: text('source'),
    /** The date the evidence is about, not the upload date. */
    evidenceDate: date('evidence_date'),
    notes: text('notes'),
    /** Title, source and notes, searchable. */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('english', coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(notes, ''))`,
      ),
    /**
     * The extracted text of the item's files, kept by the repository whenever a file is attached or its
     * text arrives (a generated column cannot read other tables). On the item, beside its scope and date,
     * so that search finds and orders the matching items from one narrow table and one GIN index.
     */
    filesSearch: tsvector('files_search')
      .notNull()
      .default(sql`''::tsvector`),
    /**
     * What search matches and ranks: the item's own text and its files' in one stored vector, so a search
     * reads one vector a row instead of merging two (merging two cost three times reading one).
     */
    document: tsvector('document')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('english', coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(notes, '')) || files_search`,
      ),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    /** Newest first in an assessment: search walks it for words most items use. */
    index('evidence_items_assessment_idx').on(t.assessmentId, t.createdAt, t.id),
    /** What search matches when few items do: everything an item says, its own text and its files'. */
    index('evidence_items_document_idx').using('gin', t.document),
    check('evidence_items_kind_check', sql`${t.kind} in (${inList(EVIDENCE_KINDS)})`),
  ],
);

/**
 * A stored file, once per content (SHA-256): the same bytes uploaded twice, by anyone, are one row and
 * one blob. Which assessments may reach it is decided by the items that hold it.
 */
/**
 * How much of a text search indexes: a tsvector holds at most 1 MB, and text of short distinct words (a data
 * export's numbers) makes about 2.1 bytes of vector a character, so 400,000 characters stay under it even
 * with an item's own text (notes up to 20,000) beside them. Prose makes far less (its words repeat); the
 * whole text is kept for snippets and display.
 */
export const SEARCHED_TEXT_CHARS = 400_000;
const searched = (text: string) => sql.raw(`left(${text}, ${SEARCHED_TEXT_CHARS})`);

export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** The sniffed media type (never what the browser claimed). */
    mediaType: text('media_type').notNull(),
    /** The sanitised name of the first upload. */
    originalName: text('original_name').notNull(),
    extractionStatus: text('extraction_status', { enum: EXTRACTION_STATUSES }).notNull().default('pending'),
    extractionError: text('extraction_error'),
    extractedText: text('extracted_text'),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', ${searched(`coalesce(extracted_text, '')`)})`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('evidence_files_sha256_unique').on(t.sha256),
    check('evidence_files_status_check', sql`${t.extractionStatus} in (${inList(EXTRACTION_STATUSES)})`),
  ],
);

/** A file attached to an item, under the name its uploader gave it. */
export const evidenceItemFiles = pgTable(
  'evidence_item_files',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => evidenceItems.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => evidenceFiles.id),
    fileName: text('file_name').notNull(),
    addedBy: text('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.fileId] }), index('evidence_item_files_file_idx').on(t.fileId)],
);

/**
 * An item bearing on a statement (statementRef set) or on a whole KLOE (statementRef null), either way
 * with the KLOE's ref so that a KLOE's page finds all its links with one index.
 */
export const evidenceLinks = pgTable(
  'evidence_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => evidenceItems.id, { onDelete: 'cascade' }),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    kloeRef: text('kloe_ref').notNull(),
    statementRef: text('statement_ref'),
    stance: text('stance', { enum: LINK_STANCES }).notNull(),
    quote: text('quote'),
    page: text('page'),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('evidence_links_kloe_idx').on(t.assessmentId, t.kloeRef),
    index('evidence_links_item_idx').on(t.itemId),
    check('evidence_links_stance_check', sql`${t.stance} in (${inList(LINK_STANCES)})`),
  ],
);

/** A statement the ranking proposed for an item, and what the assessor made of it. */
export const evidenceSuggestions = pgTable(
  'evidence_suggestions',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => evidenceItems.id, { onDelete: 'cascade' }),
    statementRef: text('statement_ref').notNull(),
    score: real('score').notNull(),
    /** The passage of the item that triggered it, its matching words between MARK_START and MARK_END. */
    passage: text('passage'),
    status: text('status', { enum: SUGGESTION_STATUSES }).notNull().default('open'),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.statementRef] }),
    check('evidence_suggestions_status_check', sql`${t.status} in (${inList(SUGGESTION_STATUSES)})`),
  ],
);

/** An inspector asking the organisation for evidence: what, by when, for which KLOEs. */
export const evidenceRequests = pgTable(
  'evidence_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    what: text('what').notNull(),
    dueOn: date('due_on').notNull(),
    kloeRefs: jsonb('kloe_refs').$type<string[]>().notNull().default([]),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('open'),
    /** The item the organisation's answer became. */
    answerItemId: uuid('answer_item_id').references(() => evidenceItems.id, { onDelete: 'set null' }),
    requestedBy: text('requested_by').references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** When the request was found past its date and still open (the overdue event is made once, then). */
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
  },
  (t) => [
    index('evidence_requests_assessment_idx').on(t.assessmentId, t.status),
    check('evidence_requests_status_check', sql`${t.status} in (${inList(REQUEST_STATUSES)})`),
  ],
);
