/** Queries of indicator definitions, values and results; each takes a connection or a transaction. */
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { organisations } from '../../db/schema.js';
import type { indicatorPeriodStats, indicatorTrends } from './indicators.tables.js';
import {
  comparatorGroupMembers,
  comparatorGroups,
  indicatorDefinitions,
  indicatorRecomputes,
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

/**
 * An array of numbers without nulls sent as text, e.g. "2022,2023,2024" (array_to_string). A page parses
 * 48,000 of them: a plain loop takes half the time of split().map(Number).
 */
function numbers(text: string): number[] {
  if (text === '') return [];
  const parts = text.split(',');
  const out = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = +parts[i]!;
  return out;
}

/**
 * The trends of some organisations, every indicator. An analysis page reads thousands of these rows: their
 * arrays come as comma-separated text, split here, because pg's array parser (a character at a time)
 * and the row mapping cost more than the query itself. Floats print exactly (shortest round-trip
 * form), so they parse back to the same numbers.
 */
export async function trendsOf(db: Database, organisationIds: readonly string[], window: number): Promise<TrendRow[]> {
  const { rows } = (await db.execute(sql`
    select organisation_id as "organisationId", indicator_id as "indicatorId",
      array_to_string(periods, ',') as periods, array_to_string(window_values, ',') as "windowValues",
      array_to_string(ranks, ',') as ranks, array_to_string(counts, ',') as counts,
      array_to_string(quartiles, ',') as quartiles, direction, slope, change, tolerance, points,
      mk_s as "mkS", mk_variance as "mkVariance"
    from indicator_trends
    where organisation_id = any(${sql.param([...organisationIds])}::uuid[])
      and indicator_id in (select id from indicator_definitions where results_window = ${window})`)) as unknown as {
    rows: (Omit<TrendRow, 'periods' | 'windowValues' | 'ranks' | 'counts' | 'quartiles'> &
      Record<'periods' | 'windowValues' | 'ranks' | 'counts' | 'quartiles', string>)[];
  };
  return rows.map((row) => ({
    ...row,
    periods: numbers(row.periods),
    windowValues: numbers(row.windowValues),
    ranks: numbers(row.ranks),
    counts: numbers(row.counts),
    quartiles: numbers(row.quartiles),
  }));
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

export interface WindowValue {
  organisationId: string;
  indicatorId: string;
  periodIndex: number;
  value: number | null;
  quality: QualityFlag | null;
}

/** One organisation's values that carry a quality flag (estimated, provisional, not collected). */
export function flaggedValuesOf(db: Database, organisationId: string): Promise<WindowValue[]> {
  return db
    .select({
      organisationId: indicatorValues.organisationId,
      indicatorId: indicatorValues.indicatorId,
      periodIndex: indicatorValues.periodIndex,
      value: indicatorValues.value,
      quality: indicatorValues.quality,
    })
    .from(indicatorValues)
    .where(and(eq(indicatorValues.organisationId, organisationId), isNotNull(indicatorValues.quality)));
}

/**
 * The values of the window, one row per period, from the trends' arrays (the values the ranks were worked
 * out from), with their quality flags; and the flagged values with no number (not collected), which
 * have no place in a trend.
 */
export function valuesIn(trends: readonly TrendRow[], flagged: readonly WindowValue[]): WindowValue[] {
  const keyOf = (organisationId: string, indicatorId: string, periodIndex: number) =>
    `${organisationId} ${indicatorId} ${periodIndex}`;
  const quality = new Map(flagged.map((v) => [keyOf(v.organisationId, v.indicatorId, v.periodIndex), v.quality]));
  // A key is made only for the flagged values' organisations: thousands of rows have none.
  const withFlags = new Set(flagged.map((v) => v.organisationId));
  const values: WindowValue[] = [];
  for (const { organisationId, indicatorId, periods, windowValues } of trends) {
    const flags = withFlags.has(organisationId);
    periods.forEach((periodIndex, i) =>
      values.push({
        organisationId,
        indicatorId,
        periodIndex,
        value: windowValues[i]!,
        quality: (flags && quality.get(keyOf(organisationId, indicatorId, periodIndex))) || null,
      }),
    );
  }
  for (const v of flagged) if (v.value === null) values.push(v);
  return values;
}

/**
 * Quartiles of each indicator's trend window, ending where the recompute's ends (its latest period with
 * values for at least half as many organisations as its fullest period), for the indicators whose
 * results were computed with this window: an analysis never shows figures of two windows side by side.
 */
export async function windowPeriodStats(db: Database, window: number) {
  const { rows } = (await db.execute(sql`
    with counted as (
      select s.*, max(s.count) over (partition by s.indicator_id) as most
      from indicator_period_stats s
      join indicator_definitions d on d.id = s.indicator_id and d.results_window = ${window}
    ),
    ends as (select indicator_id, max(period_index) filter (where 2 * count >= most) as last from counted group by indicator_id)
    select c.indicator_id as "indicatorId", c.period_index as "periodIndex", c.count, c.q1, c.median, c.q3
    from counted c join ends e on e.indicator_id = c.indicator_id
    where c.period_index between e.last - ${window - 1} and e.last`)) as unknown as {
    rows: (typeof indicatorPeriodStats.$inferSelect)[];
  };
  return rows;
}

/**
 * A mark of everything an organisation's analysis is made from, read before the analysis itself (so what
 * is remembered under it is at least as new as it): the organisations (names, types and attributes choose
 * the nearest neighbours), the definitions (an import raises an indicator's values generation in its own
 * transaction, a recompute marks its results, so values and results are covered), the comparator groups,
 * the trend window and the recomputes. Each table is marked by its count of rows and the sum of their
 * xmin, the transaction that wrote each row's current version: an insert or update of any row raises the
 * sum, a delete lowers the count, so any committed change gives a new mark, whoever made it, at the cost
 * of summing a few hundred numbers. Also when the results were last recomputed, and whether the
 * organisation exists (one query for a remembered page's request).
 */
export async function analysisVersion(
  db: Database,
  organisationId: string,
): Promise<{ found: boolean; key: string; recomputedAt: Date | null }> {
  const marked = (table: string) =>
    sql.raw(`(select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${table})`);
  const { rows } = (await db.execute(sql`
    select concat_ws(' ', ${marked('organisations')}, ${marked('indicator_definitions')},
        ${marked('comparator_groups')}, ${marked('indicator_settings')},
        (select coalesce(max(id), 0) from indicator_recomputes)) as key,
      (select at from indicator_recomputes order by id desc limit 1) as "recomputedAt",
      exists (select from organisations where id = ${organisationId}) as found`)) as unknown as {
    rows: { found: boolean; key: string; recomputedAt: Date | string | null }[];
  };
  const { found, key, recomputedAt } = rows[0]!;
  return { found, key, recomputedAt: recomputedAt === null ? null : new Date(recomputedAt) };
}

/** How many indicators' results are behind their values or the trend window (a recompute is due). */
export async function countBehind(db: Database): Promise<number> {
  const { rows } = (await db.execute(sql`
    select count(*)::int as n from indicator_definitions d, indicator_settings s
    where d.results_generation is distinct from d.values_generation
      or d.results_window is distinct from s.trend_window`)) as unknown as { rows: { n: number }[] };
  return rows[0]!.n;
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
