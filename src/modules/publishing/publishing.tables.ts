import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from '../assessments/assessments.tables.js';

/** How the team answers a factual accuracy comment. */
export const ACCURACY_RESPONSES = ['accepted', 'changed', 'not_accepted'] as const;
export type AccuracyResponse = (typeof ACCURACY_RESPONSES)[number];

/**
 * The factual accuracy check of an inspection's draft report: sent by the lead to the organisation, whose
 * members comment until the deadline. Kept with the assessment and in its export, never in the report.
 */
export const accuracyChecks = pgTable('accuracy_checks', {
  assessmentId: uuid('assessment_id')
    .primaryKey()
    .references(() => assessments.id, { onDelete: 'cascade' }),
  /** The last day the organisation may comment (inclusive). */
  deadline: date('deadline').notNull(),
  /** What the lead wrote to the organisation with the draft. */
  message: text('message'),
  sentBy: text('sent_by').references(() => users.id),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  /** Why the lead published before the deadline or with comments unanswered; null when they did not need to. */
  publishedDespite: text('published_despite'),
});

/** One comment of the organisation on a section of the draft report, and the team's answer to it. */
export const accuracyComments = pgTable(
  'accuracy_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    /** "summary", a key question ref ("4") or a KLOE ref ("4.1"). */
    section: text('section').notNull(),
    body: text('body').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    response: text('response', { enum: ACCURACY_RESPONSES }),
    /** What was changed, or why it was not accepted (required then). */
    responseText: text('response_text'),
    answeredBy: text('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('accuracy_comments_assessment_idx').on(t.assessmentId, t.createdAt),
    check('accuracy_comments_response_check', sql`${t.response} in ('accepted','changed','not_accepted')`),
  ],
);

/**
 * A published inspection made public: its page, ratings and report are served without sign-in until it is
 * withdrawn, when the page says so (with the notice) instead.
 */
export const publicReports = pgTable('public_reports', {
  assessmentId: uuid('assessment_id')
    .primaryKey()
    .references(() => assessments.id, { onDelete: 'cascade' }),
  madePublicBy: text('made_public_by').references(() => users.id),
  madePublicAt: timestamp('made_public_at', { withTimezone: true }).notNull().defaultNow(),
  withdrawnBy: text('withdrawn_by').references(() => users.id),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  withdrawalNotice: text('withdrawal_notice'),
});
