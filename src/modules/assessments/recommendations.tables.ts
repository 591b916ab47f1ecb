import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { assessments } from './assessments.tables.js';

export const RECOMMENDATION_PRIORITIES = ['high', 'medium', 'low'] as const;
export type RecommendationPriority = (typeof RECOMMENDATION_PRIORITIES)[number];

/** An area for improvement a recommendation answers: the KLOE and the area's text as recorded there. */
export interface LinkedArea {
  kloeRef: string;
  text: string;
}

/**
 * What the team recommends the service does, with the outcome it should achieve, linked to the KLOEs and
 * areas for improvement it answers. Copied with the rest of the work when an assessment is reopened.
 */
export const recommendations = pgTable(
  'recommendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    /** Order in the report: the order they were recorded in. */
    position: integer('position').notNull(),
    text: text('text').notNull(),
    priority: text('priority', { enum: RECOMMENDATION_PRIORITIES }).notNull(),
    outcome: text('outcome').notNull(),
    kloeRefs: jsonb('kloe_refs').$type<string[]>().notNull().default([]),
    areas: jsonb('areas').$type<LinkedArea[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('recommendations_assessment_idx').on(t.assessmentId, t.position),
    check('recommendations_priority_check', sql`${t.priority} in ('high','medium','low')`),
  ],
);
