import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from '../assessments/assessments.tables.js';

/** Who reads a thread: the assessment's team alone, or the team and the organisation it is shared with. */
export const COMMENT_AUDIENCES = ['team', 'organisation'] as const;
export type CommentAudience = (typeof COMMENT_AUDIENCES)[number];

/** A conversation about one KLOE, or one statement of it. Not evidence: never in the report or the export. */
export const commentThreads = pgTable(
  'comment_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    kloeRef: text('kloe_ref').notNull(),
    /** The statement it is about; null for the KLOE as a whole. */
    statementRef: text('statement_ref'),
    audience: text('audience', { enum: COMMENT_AUDIENCES }).notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedBy: text('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('comment_threads_kloe_idx').on(t.assessmentId, t.kloeRef),
    check('comment_threads_audience_check', sql`${t.audience} in ('team','organisation')`),
  ],
);

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThreads.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    /** The people the comment mentions (user ids); each is notified. */
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('comments_thread_idx').on(t.threadId, t.createdAt)],
);
