import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { assessments } from '../assessments/assessments.tables.js';
import { organisations } from '../organisations/organisations.tables.js';

export const INDICATOR_CATEGORIES = ['performance', 'cost', 'satisfaction', 'context'] as const;
export type IndicatorCategory = (typeof INDICATOR_CATEGORIES)[number];
export const QUALITY_FLAGS = ['estimated', 'provisional', 'not_collected'] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** A performance indicator: what is measured, in what unit, and which way is better. */
export const indicatorDefinitions = pgTable(
  'indicator_definitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** How imports name the indicator, e.g. "HR-01". */
    code: text('code').notNull().unique(),
    title: text('title').notNull(),
    unit: text('unit').notNull(),
    polarity: text('polarity', { enum: ['higher', 'lower', 'target'] }).notNull(),
    target: doublePrecision('target'),
    category: text('category', { enum: INDICATOR_CATEGORIES }).notNull(),
    serviceArea: text('service_area').notNull(),
    periodType: text('period_type', { enum: ['financial_year', 'calendar_year', 'quarter'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Raised in the same transaction as every import that adds or changes this indicator's values, so a
     * crash between the import and its recompute leaves a mark that the results are behind.
     */
    valuesGeneration: bigint('values_generation', { mode: 'number' }).notNull().default(1),
    /** The values generation and trend window the results were computed from; null before the first recompute. */
    resultsGeneration: bigint('results_generation', { mode: 'number' }),
    resultsWindow: integer('results_window'),
  },
  (t) => [
    check('indicator_definitions_polarity_check', sql`${t.polarity} in ('higher','lower','target')`),
    check('indicator_definitions_target_check', sql`(${t.polarity} = 'target') = (${t.target} is not null)`),
    check(
      'indicator_definitions_category_check',
      sql`${t.category} in ('performance','cost','satisfaction','context')`,
    ),
    check(
      'indicator_definitions_period_type_check',
      sql`${t.periodType} in ('financial_year','calendar_year','quarter')`,
    ),
  ],
);

/** One organisation's value of one indicator in one period; the key is what an import matches on. */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => indicatorDefinitions.id, { onDelete: 'cascade' }),
    periodIndex: integer('period_index').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    /** Absent only when the value was not collected (quality "not_collected"). */
    value: doublePrecision('value'),
    quality: text('quality', { enum: QUALITY_FLAGS }),
  },
  (t) => [
    // Indicator, then organisation: one indicator's values of a group of organisations (the indicator's
    // chart) are a few short runs of the key. No second index by organisation: the only reads by
    // organisation alone are its flagged values, below, and building a second full index would add much
    // to every national import.
    primaryKey({ columns: [t.indicatorId, t.organisationId, t.periodIndex] }),
    check('indicator_values_value_check', sql`${t.value} is not null or ${t.quality} = 'not_collected'`),
    // An analysis page reads the window's values from indicator_trends; only the flagged values of the
    // organisation (a few in a hundred) come from here, through this small index.
    index('indicator_values_flagged_idx')
      .on(t.organisationId)
      .where(sql`${t.quality} is not null`),
  ],
);

/**
 * An import on the embedded database (PGlite) while it runs (import-journal.ts): its checked rows are staged
 * in short transactions, so the site keeps answering; once every row is checked it is `merging`, and its rows
 * are merged into the values a slice at a time. An import found `staging` at start is discarded, one found
 * `merging` is finished.
 */
export const indicatorImports = pgTable('indicator_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  state: text('state', { enum: ['staging', 'merging'] }).notNull(),
  /** Who imported: the audit entries written when an interrupted merge is finished at start name them. */
  actor: jsonb('actor').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The staged rows of a running import, keyed as the values are: a merge takes the next slice in key order
 * (mostly one indicator at a time) and deletes it in the same transaction. No foreign keys: the values'
 * own keys check the rows when they are merged.
 */
export const indicatorImportRows = pgTable(
  'indicator_import_rows',
  {
    importId: uuid('import_id').notNull(),
    indicatorId: uuid('indicator_id').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    periodIndex: integer('period_index').notNull(),
    period: text('period').notNull(),
    value: doublePrecision('value'),
    quality: text('quality'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.indicatorId, t.organisationId, t.periodIndex] })],
);

/** Quartiles of every indicator's values in every period, over all providers (filled by a recompute). */
export const indicatorPeriodStats = pgTable(
  'indicator_period_stats',
  {
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => indicatorDefinitions.id, { onDelete: 'cascade' }),
    periodIndex: integer('period_index').notNull(),
    count: integer('count').notNull(),
    q1: doublePrecision('q1').notNull(),
    median: doublePrecision('median').notNull(),
    q3: doublePrecision('q3').notNull(),
  },
  (t) => [primaryKey({ columns: [t.indicatorId, t.periodIndex] })],
);

/**
 * Each organisation's standing on each indicator over the trend window (see statistics.ts): per period of
 * the window (the arrays run in step with `periods`, oldest first) its value, its rank among `counts`
 * providers and its quartile (1 = best quarter), then its direction of travel. One row per organisation
 * and indicator, so an analysis page reads one row per indicator (never the scattered rows of
 * indicator_values: one organisation's are spread over thousands of pages) and a recompute writes one row
 * per organisation and indicator, not one per value. Derived data, rewritten by every recompute of its
 * indicator: no foreign keys, because checking two of them on every written row would be a large part of
 * the recompute's work. Nothing deletes organisations or indicators today; whatever comes to must delete
 * their trends too.
 */
export const indicatorTrends = pgTable(
  'indicator_trends',
  {
    organisationId: uuid('organisation_id').notNull(),
    indicatorId: uuid('indicator_id').notNull(),
    periods: integer('periods').array().notNull(),
    // "values" is a reserved word in SQL.
    windowValues: doublePrecision('window_values').array().notNull(),
    ranks: integer('ranks').array().notNull(),
    counts: integer('counts').array().notNull(),
    quartiles: smallint('quartiles').array().notNull(),
    direction: text('direction', { enum: ['improving', 'stable', 'declining', 'insufficient'] }).notNull(),
    slope: doublePrecision('slope'),
    change: doublePrecision('change'),
    tolerance: doublePrecision('tolerance'),
    points: integer('points').notNull(),
    /** Mann–Kendall S and its tie-corrected variance, from MANN_KENDALL_MIN_POINTS points. */
    mkS: integer('mk_s'),
    mkVariance: doublePrecision('mk_variance'),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.indicatorId] })],
);

/**
 * Settings of the benchmarking, one row: the trend window (how many latest periods the direction of
 * travel, ranks and quartiles are worked over). Every recompute uses it, so results of two windows
 * never stand side by side; changing it is audited and recomputes every indicator.
 */
export const indicatorSettings = pgTable(
  'indicator_settings',
  {
    id: smallint('id').primaryKey().default(1),
    trendWindow: integer('trend_window').notNull().default(3),
    changedAt: timestamp('changed_at', { withTimezone: true }),
    changedBy: text('changed_by'),
  },
  (t) => [
    check('indicator_settings_single_row', sql`${t.id} = 1`),
    check('indicator_settings_window_check', sql`${t.trendWindow} between 2 and 20`),
  ],
);

/** When the results were last recomputed, over how many periods, and how long it took. */
export const indicatorRecomputes = pgTable('indicator_recomputes', {
  id: serial('id').primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  window: integer('window').notNull(),
  durationMs: integer('duration_ms').notNull(),
});

export const COMPARATOR_KINDS = ['type', 'list', 'nearest'] as const;
export type ComparatorKind = (typeof COMPARATOR_KINDS)[number];

/**
 * A named comparator group: every provider of a type, an explicit list (the members table), or the
 * nearest neighbours of an anchor organisation on some attributes (members kept with their distances).
 */
export const comparatorGroups = pgTable(
  'comparator_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    kind: text('kind', { enum: COMPARATOR_KINDS }).notNull(),
    organisationType: text('organisation_type'),
    anchorId: uuid('anchor_id').references(() => organisations.id, { onDelete: 'cascade' }),
    attributes: jsonb('attributes').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('comparator_groups_kind_check', sql`${t.kind} in ('type','list','nearest')`)],
);

export const comparatorGroupMembers = pgTable(
  'comparator_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => comparatorGroups.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    distance: doublePrecision('distance'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.organisationId] })],
);

/** An analysis frozen into an assessment: what the judgement saw, never recomputed under it. */
export const indicatorSnapshots = pgTable(
  'indicator_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    asOf: timestamp('as_of', { withTimezone: true }).notNull().defaultNow(),
    /** A `kloe-indicator-analysis/1` document. */
    analysis: jsonb('analysis').notNull(),
    /** Codes of the indicators the team chose to chart in the report (a newer snapshot starts with the same). */
    reportIndicators: jsonb('report_indicators').$type<string[]>().notNull().default([]),
    createdBy: text('created_by').notNull(),
  },
  (t) => [index('indicator_snapshots_assessment_idx').on(t.assessmentId)],
);
