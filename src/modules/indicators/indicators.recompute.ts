/**
 * The benchmarking recompute: quartiles of every indicator in every period, and — over each indicator's
 * latest `window` periods — every organisation's rank and quartile, and its direction of travel. It runs
 * in SQL where the values are (the same formulas as statistics.ts; an integration test holds them to it),
 * so pages only read results. On PostgreSQL it is one statement per table for all indicators; on PGlite,
 * which works on the event loop, it goes one indicator at a time so no request waits long behind it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../db/database.js';
import { TOLERANCE, MANN_KENDALL_MIN_POINTS } from './statistics.js';
import { indicatorDefinitions, indicatorRecomputes } from './indicators.tables.js';

export const DEFAULT_WINDOW = 3;

/** Yields to the event loop, so that waiting requests run between batches. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function statements(scope: SQL, window: number): SQL[] {
  // Scores: higher is always better (statistics.ts score()); not-collected values take no part.
  const scored = sql`
    scored as (
      select v.organisation_id, v.indicator_id, v.period_index, v.value,
        case d.polarity when 'higher' then v.value when 'lower' then -v.value else -abs(v.value - d.target) end as score
      from indicator_values v
      join indicator_definitions d on d.id = v.indicator_id
      join (select indicator_id, max(period_index) - ${window - 1} as first from indicator_values
            where ${scope} and value is not null group by indicator_id) w
        on w.indicator_id = v.indicator_id and v.period_index >= w.first
      where v.value is not null
    )`;
  return [
    sql`delete from indicator_period_stats where ${scope}`,
    sql`insert into indicator_period_stats (indicator_id, period_index, count, q1, median, q3)
      select indicator_id, period_index, count(*)::int,
        percentile_cont(0.25) within group (order by value),
        percentile_cont(0.5) within group (order by value),
        percentile_cont(0.75) within group (order by value)
      from indicator_values where ${scope} and value is not null
      group by indicator_id, period_index`,
    sql`delete from indicator_positions where ${scope}`,
    sql`insert into indicator_positions (organisation_id, indicator_id, period_index, rank, count, quartile)
      with ${scored},
      q as (
        select indicator_id, period_index,
          percentile_cont(array[0.25, 0.5, 0.75]) within group (order by score) as q
        from scored group by indicator_id, period_index
      )
      select s.organisation_id, s.indicator_id, s.period_index,
        rank() over (partition by s.indicator_id, s.period_index order by s.score desc)::int,
        count(*) over (partition by s.indicator_id, s.period_index)::int,
        case when s.score >= q.q[3] then 1 when s.score >= q.q[2] then 2 when s.score >= q.q[1] then 3 else 4 end
      from scored s join q using (indicator_id, period_index)`,
    sql`delete from indicator_trends where ${scope}`,
    sql`insert into indicator_trends
        (organisation_id, indicator_id, direction, slope, change, tolerance, points, mk_s, mk_variance)
      with ${scored},
      series as (
        select organisation_id, indicator_id, count(*)::int as n,
          max(period_index) - min(period_index) as span,
          percentile_cont(0.5) within group (order by abs(value)) * ${TOLERANCE} as tolerance
        from scored group by organisation_id, indicator_id
      ),
      pairs as (
        select a.organisation_id, a.indicator_id,
          (b.value - a.value) / (b.period_index - a.period_index) as value_slope,
          (b.score - a.score) / (b.period_index - a.period_index) as score_slope,
          sign(b.score - a.score) as s
        from scored a join scored b
          on b.organisation_id = a.organisation_id and b.indicator_id = a.indicator_id
          and b.period_index > a.period_index
      ),
      fits as (
        select organisation_id, indicator_id,
          percentile_cont(0.5) within group (order by value_slope) as slope,
          percentile_cont(0.5) within group (order by score_slope) as score_slope,
          sum(s)::int as s
        from pairs group by organisation_id, indicator_id
      ),
      ties as (
        select organisation_id, indicator_id, sum(t * (t - 1) * (2 * t + 5)) as term
        from (select organisation_id, indicator_id, count(*) as t from scored
              group by organisation_id, indicator_id, score having count(*) > 1) g
        group by organisation_id, indicator_id
      )
      select s.organisation_id, s.indicator_id,
        case when f.slope is null then 'insufficient'
          when f.score_slope * s.span > s.tolerance then 'improving'
          when f.score_slope * s.span < -s.tolerance then 'declining'
          else 'stable' end,
        f.slope, f.score_slope * s.span, case when f.slope is null then null else s.tolerance end, s.n,
        case when s.n >= ${MANN_KENDALL_MIN_POINTS} then f.s end,
        case when s.n >= ${MANN_KENDALL_MIN_POINTS}
          then (s.n * (s.n - 1) * (2 * s.n + 5) - coalesce(t.term, 0)) / 18.0 end
      from series s
      left join fits f using (organisation_id, indicator_id)
      left join ties t using (organisation_id, indicator_id)`,
  ];
}

export interface RecomputeOutcome {
  indicators: number;
  window: number;
  durationMs: number;
}

/** Recomputes the results of the given indicators (all when omitted). */
export async function recompute(
  database: Pick<DatabaseHandle, 'db' | 'driver'>,
  options: { indicatorIds?: readonly string[]; window?: number } = {},
): Promise<RecomputeOutcome> {
  const started = performance.now();
  const window = options.window ?? DEFAULT_WINDOW;
  const { db } = database;
  const ids =
    options.indicatorIds ??
    (await db.select({ id: indicatorDefinitions.id }).from(indicatorDefinitions)).map((r) => r.id);
  const run = async (tx: Database, scope: SQL) => {
    for (const statement of statements(scope, window)) await tx.execute(statement);
  };
  if (database.driver === 'postgres') {
    await db.transaction((tx) => run(tx, sql`indicator_id = any(${sql.param(ids)}::uuid[])`));
  } else {
    for (const id of ids) {
      await db.transaction((tx) => run(tx, sql`indicator_id = ${id}`));
      await yieldToEventLoop();
    }
  }
  const durationMs = Math.round(performance.now() - started);
  await db.insert(indicatorRecomputes).values({ window, durationMs });
  return { indicators: ids.length, window, durationMs };
}
