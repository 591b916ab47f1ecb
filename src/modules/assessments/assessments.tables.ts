import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';
import { frameworkVersions } from '../frameworks/frameworks.tables.js';
import { organisations, services } from '../organisations/organisations.tables.js';

export const ASSESSMENT_KINDS = ['inspection', 'self_assessment', 'peer_review'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** In order: an assessment moves forward one step at a time (moderation may send it back to fieldwork). */
export const ASSESSMENT_STATUSES = ['planning', 'fieldwork', 'moderation', 'published'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const FINDING_OUTCOMES = ['met', 'partly_met', 'not_met', 'not_judged'] as const;
export type FindingOutcome = (typeof FINDING_OUTCOMES)[number];

export const TEAM_ROLES = ['lead', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

/**
 * One revision of an assessment of one service against one framework version (pinned by id, so a
 * later version of the framework never changes it). Reopening a published assessment inserts the next
 * revision of the same series; the published row is never written again.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The id of the first revision; every revision of one assessment shares it. */
    seriesId: uuid('series_id').notNull(),
    revision: integer('revision').notNull().default(1),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    frameworkVersionId: integer('framework_version_id')
      .notNull()
      .references(() => frameworkVersions.id),
    kind: text('kind', { enum: ASSESSMENT_KINDS }).notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: ASSESSMENT_STATUSES }).notNull().default('planning'),
    /** The leaf KLOE refs in scope; null means the whole framework. */
    scope: jsonb('scope').$type<string[] | null>(),
    plannedStart: date('planned_start'),
    plannedEnd: date('planned_end'),
    /** An inspection the team has opened to the organisation's members (e.g. to answer evidence requests). */
    sharedWithOrganisation: boolean('shared_with_organisation').notNull().default(false),
    /** Optimistic concurrency for the assessment's own details, team and status. */
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by').references(() => users.id),
  },
  (t) => [
    unique('assessments_series_revision_unique').on(t.seriesId, t.revision),
    index('assessments_organisation_idx').on(t.organisationId),
    index('assessments_service_idx').on(t.serviceId),
    check('assessments_kind_check', sql`${t.kind} in (${inList(ASSESSMENT_KINDS)})`),
    check('assessments_status_check', sql`${t.status} in (${inList(ASSESSMENT_STATUSES)})`),
  ],
);

export const assessmentTeam = pgTable(
  'assessment_team',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: TEAM_ROLES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.userId] }),
    index('assessment_team_user_idx').on(t.userId),
    check('assessment_team_role_check', sql`${t.role} in (${inList(TEAM_ROLES)})`),
  ],
);

/**
 * What the assessor records for one KLOE: strengths, areas for improvement, whether the service exceeds
 * the best descriptor, and the final rating with its rationale. `version` guards the whole KLOE (these
 * fields and its findings) against two assessors overwriting each other.
 */
export const kloeJudgements = pgTable(
  'kloe_judgements',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    kloeRef: text('kloe_ref').notNull(),
    strengths: jsonb('strengths').$type<string[]>().notNull().default([]),
    areasForImprovement: jsonb('areas_for_improvement').$type<string[]>().notNull().default([]),
    exceeded: boolean('exceeded').notNull().default(false),
    finalRating: text('final_rating'),
    rationale: text('rationale'),
    /** The suggested rating the rationale was written against (rating-rationale.ts); null before it was kept. */
    rationaleSuggested: text('rationale_suggested'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.kloeRef] })],
);

/** The finding on one statement of the assessment's framework version. */
export const findings = pgTable(
  'findings',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    statementRef: text('statement_ref').notNull(),
    kloeRef: text('kloe_ref').notNull(),
    outcome: text('outcome', { enum: FINDING_OUTCOMES }).notNull(),
    note: text('note'),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.assessmentId, t.statementRef] }),
    index('findings_kloe_idx').on(t.assessmentId, t.kloeRef),
    check('findings_outcome_check', sql`${t.outcome} in (${inList(FINDING_OUTCOMES)})`),
  ],
);

/** The final rating of a key question ("4", "5", "6") or of the whole judgement ("overall"). */
export const rollUpJudgements = pgTable(
  'roll_up_judgements',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    nodeRef: text('node_ref').notNull(),
    finalRating: text('final_rating'),
    rationale: text('rationale'),
    /** The suggested rating the rationale was written against (rating-rationale.ts); null before it was kept. */
    rationaleSuggested: text('rationale_suggested'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.nodeRef] })],
);

export const CHALLENGE_STATUSES = ['open', 'accepted', 'changed'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

/** A moderator's challenge to a rating (a KLOE, a key question or "overall"), and how the lead resolved it. */
export const challenges = pgTable(
  'challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    targetRef: text('target_ref').notNull(),
    comment: text('comment').notNull(),
    raisedBy: text('raised_by')
      .notNull()
      .references(() => users.id),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status', { enum: CHALLENGE_STATUSES }).notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: text('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('challenges_assessment_idx').on(t.assessmentId, t.status),
    check('challenges_status_check', sql`${t.status} in (${inList(CHALLENGE_STATUSES)})`),
  ],
);
