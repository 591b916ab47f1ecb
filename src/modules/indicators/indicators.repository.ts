/** Queries of indicator definitions, values and results; each takes a connection or a transaction. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { organisations } from '../organisations/organisations.tables.js';
import type { indicatorPeriodStats } from './indicators.tables.js';
import {
  comparatorGroupMembers,
  comparatorGroups,
  indicatorDefinitions,
  indicatorRecomputes,
  indicatorTrends,
  indicatorValues,
  type QualityFlag,
} from './indicators.tables.js';

export type IndicatorRow = typeof indicatorDefinitions.$inferSelect;

export async function insertIndicator(db: Database, values: typeof indicatorDefinitions.$inferInsert) {
  const [row] = await db.insert(indicatorDefinitions).values(values).returning();
  return row!;
}

export function listIndicators(db: Database): Promise<IndicatorRow[]> {
  return db.select().from(indicatorDefinitions).orderBy(asc(indicatorDefinitions.code));
}

export async function findIndicatorByCode(db: Database, code: string) {
  const [row] = await db.select().from(indicatorDefinitions).where(eq(indicatorDefinitions.code, code.toUpperCase()));
  return row;
}

export async function countValues(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues);
  return row!.n;
}

export async function lastRecompute(db: Database) {
  const [row] = await db
    .select()
    .from(indicatorRecomputes)
    .orderBy(sql`${indicatorRecomputes.id} desc`)
    .limit(1);
  return row;
}

export type TrendRow = typeof indicatorTrends.$inferSelect;

export function trendsOf(db: Database, organisationIds: readonly string[]): Promise<TrendRow[]> {
  return db
    .select()
    .from(indicatorTrends)
    .where(inArray(indicatorTrends.organisationId, [...organisationIds]));
}

/** The rank and quartile of each period of the window, one row per period, from the trends' arrays. */
export function positionsIn(trends: readonly TrendRow[]) {
  return trends.flatMap((t) =>
    t.periods.map((periodIndex, i) => ({
      organisationId: t.organisationId,
      indicatorId: t.indicatorId,
      periodIndex,
      rank: t.ranks[i]!,
      count: t.counts[i]!,
      quartile: t.quartiles[i]!,
    })),
  );
}

/** Quartiles of each indicator's latest `window` periods (the trend window, as the recompute's). */
export async function windowPeriodStats(db: Database, window: number) {
  const { rows } = (await db.execute(sql`
    select s.indicator_id as "indicatorId", s.period_index as "periodIndex", s.count, s.q1, s.median, s.q3
    from indicator_period_stats s
    join (select indicator_id, max(period_index) - ${window} as before from indicator_period_stats group by indicator_id) w
      on w.indicator_id = s.indicator_id and s.period_index > w.before`)) as unknown as {
    rows: (typeof indicatorPeriodStats.$inferSelect)[];
  };
  return rows;
}

/** Every organisation with its type and contextual attributes (what comparator groups are made from). */
export function organisationContexts(db: Database) {
  return db
    .select({
      id: organisations.id,
      code: organisations.code,
      name: organisations.name,
      type: organisations.type,
      attributes: organisations.attributes,
    })
    .from(organisations)
    .orderBy(asc(organisations.code));
}

export async function findComparatorGroup(db: Database, id: string) {
  const [group] = await db.select().from(comparatorGroups).where(eq(comparatorGroups.id, id));
  if (!group) return undefined;
  const members = await db
    .select({ organisationId: comparatorGroupMembers.organisationId, distance: comparatorGroupMembers.distance })
    .from(comparatorGroupMembers)
    .where(and(eq(comparatorGroupMembers.groupId, id)));
  return { group, members };
}

/** Values of some organisations in each indicator's latest `window` periods (as the recompute's window). */
export async function windowValuesOf(db: Database, organisationIds: readonly string[], window: number) {
  // The window's first period per indicator, joined once (a subquery per value row costs far more).
  const { rows } = (await db.execute(sql`
    select v.organisation_id as "organisationId", v.indicator_id as "indicatorId", v.period_index as "periodIndex",
      v.value, v.quality
    from indicator_values v
    join (select indicator_id, max(period_index) - ${window} as before from indicator_period_stats group by indicator_id) w
      on w.indicator_id = v.indicator_id and v.period_index > w.before
    where v.organisation_id = any(${sql.param([...organisationIds])}::uuid[])`)) as unknown as {
    rows: {
      organisationId: string;
      indicatorId: string;
      periodIndex: number;
      value: number | null;
      quality: QualityFlag | null;
    }[];
  };
  return rows;
}

/** One indicator's values of some organisations, every period. */
export function indicatorValuesOf(db: Database, indicatorId: string, organisationIds: readonly string[]) {
  return db
    .select({
      organisationId: indicatorValues.organisationId,
      periodIndex: indicatorValues.periodIndex,
      value: indicatorValues.value,
      quality: indicatorValues.quality,
    })
    .from(indicatorValues)
    .where(
      and(eq(indicatorValues.indicatorId, indicatorId), inArray(indicatorValues.organisationId, [...organisationIds])),
    )
    .orderBy(asc(indicatorValues.periodIndex));
}
