/**
 * Improvement plans: one per organisation and service, kept by the organisation's members. A plan holds
 * aims (what the service will improve, tied to KLOEs and recommendations), and each aim holds actions
 * (who does what by when, with milestones and the indicators that measure it).
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { organisations, services } from '../organisations/organisations.tables.js';

/** A step towards an action's due date. */
export interface Milestone {
  title: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
}

/** What an action's status may be: suggested from its dates and indicators, or set by a person with a reason. */
export const ACTION_STATUSES = ['not_started', 'on_track', 'at_risk', 'off_track', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** An indicator that measures an action: where it starts and where it must be by the target period. */
export interface IndicatorMeasure {
  indicatorCode: string;
  baseline: number;
  target: number;
  /** A period as the indicator's values name it, e.g. "2027/28". */
  targetPeriod: string;
}

export const improvementPlans = pgTable(
  'improvement_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('improvement_plans_service_unique').on(t.serviceId)],
);

export const improvementAims = pgTable(
  'improvement_aims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => improvementPlans.id, { onDelete: 'cascade' }),
    /** Order on the plan: the order they were added in. */
    position: integer('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    kloeRefs: jsonb('kloe_refs').$type<string[]>().notNull().default([]),
    recommendationIds: jsonb('recommendation_ids').$type<string[]>().notNull().default([]),
    /**
     * What the aim was drafted from in one step from an assessment ("recommendation:<id>" or
     * "area:<assessment id>:<KLOE ref>:<position>"); unique in the plan, so doing it twice adds nothing twice.
     */
    sourceKey: text('source_key'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('improvement_aims_plan_idx').on(t.planId, t.position),
    unique('improvement_aims_source_unique').on(t.planId, t.sourceKey),
  ],
);

export const improvementActions = pgTable(
  'improvement_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    aimId: uuid('aim_id')
      .notNull()
      .references(() => improvementAims.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** A person of the plan's organisation; null while nobody has been named (a quality flag says so). */
    ownerId: text('owner_id').references(() => users.id),
    startDate: date('start_date', { mode: 'string' }),
    dueDate: date('due_date', { mode: 'string' }),
    resources: text('resources').notNull().default(''),
    milestones: jsonb('milestones').$type<Milestone[]>().notNull().default([]),
    measures: jsonb('measures').$type<IndicatorMeasure[]>().notNull().default([]),
    /** Actions of the same plan that must be done first; never circular (the service refuses a loop). */
    dependsOn: jsonb('depends_on').$type<string[]>().notNull().default([]),
    /** The status a person set against the suggestion, with their reason; null follows the suggestion. */
    statusOverride: text('status_override', { enum: ACTION_STATUSES }),
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('improvement_actions_aim_idx').on(t.aimId, t.position),
    check('improvement_actions_status_check', sql`${t.statusOverride} is null or ${t.statusReason} is not null`),
    check(
      'improvement_actions_dates_check',
      sql`${t.dueDate} is null or ${t.startDate} is null or ${t.startDate} <= ${t.dueDate}`,
    ),
  ],
);

/** A member's account of progress on an action: on a date, a note, milestones reached, evidence it rests on. */
export const improvementProgressUpdates = pgTable(
  'improvement_progress_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => improvementActions.id, { onDelete: 'cascade' }),
    /** The date the progress is about (not when it was typed). */
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    note: text('note').notNull(),
    /** Titles of the action's milestones this update says were reached. */
    milestonesReached: jsonb('milestones_reached').$type<string[]>().notNull().default([]),
    /** Evidence items (of the service's assessments the organisation sees) the update rests on. */
    evidenceItemIds: jsonb('evidence_item_ids').$type<string[]>().notNull().default([]),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('improvement_progress_action_idx').on(t.actionId, t.recordedOn)],
);

/** A comment on a plan, or on one of its actions, by an inspector or a member. */
export const improvementComments = pgTable(
  'improvement_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => improvementPlans.id, { onDelete: 'cascade' }),
    /** The action commented on; null for a comment on the whole plan. */
    actionId: uuid('action_id').references(() => improvementActions.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    authorId: text('author_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('improvement_comments_plan_idx').on(t.planId, t.createdAt)],
);
