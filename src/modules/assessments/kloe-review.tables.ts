import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from './assessments.tables.js';

/** A KLOE moves drafting → ready for review → reviewed; a reviewed KLOE changes only after it is reopened. */
export const REVIEW_STATES = ['drafting', 'ready_for_review', 'reviewed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/**
 * Who holds one KLOE of an assessment (its assignee, with a due date, and a named reviewer) and where it
 * is in review. No row means drafting, unassigned. `version` guards against two leads assigning at once.
 */
export const kloeAssignments = pgTable(
  'kloe_assignments',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    kloeRef: text('kloe_ref').notNull(),
    assigneeId: text('assignee_id').references(() => users.id),
    reviewerId: text('reviewer_id').references(() => users.id),
    dueOn: date('due_on'),
    state: text('state', { enum: REVIEW_STATES }).notNull().default('drafting'),
    reviewedBy: text('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    /** Why it was last reopened (or sent back), shown to its assignee. */
    reopenReason: text('reopen_reason'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.kloeRef] }),
    index('kloe_assignments_assignee_idx').on(t.assigneeId),
    index('kloe_assignments_reviewer_idx').on(t.reviewerId),
    check('kloe_assignments_state_check', sql`${t.state} in ('drafting','ready_for_review','reviewed')`),
  ],
);
