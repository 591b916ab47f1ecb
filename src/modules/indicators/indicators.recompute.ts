/**
 * The benchmarking recompute: quartiles of every indicator in every period, and — over each indicator's
 * latest `window` periods — every organisation's rank and quartile, and its direction of travel. It runs
 * in SQL where the values are (the same formulas as statistics.ts; integration tests hold them to it),
 * so pages only read results.
 *
 * One statement reads the values once: it gathers each indicator × period into arrays (a hash
 * aggregate, no sort of the whole table), takes the period quartiles from them, ranks the window's
 * periods, then sorts only the window's values by organisation and indicator for the trends. Theil–Sen
 * and Mann–Kendall need every pair of points of a series; lag() over the series gives them without a
 * self-join, and lag()/lead() equality counts the tied scores for Mann–Kendall's variance.
 *
 * On PostgreSQL it is one transaction for all indicators; on PGlite, which works on the event loop, it
 * goes one indicator and one table at a time so no request waits long behind it. An indicator whose
 * recompute fails (a series the arithmetic cannot carry) is reported and left behind; the others go on.
 *
 * Every recompute uses the one stored trend window (indicator_settings), and marks each indicator with
 * the values generation and window it computed from, so whatever is behind — after a crash between an
 * import and its recompute, or a change of window — is found and recomputed at start and on every import.
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../db/database.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit, type SystemActor } from '../audit/index.js';
import type { GiveWay } from './import-journal.js';
import { TOLERANCE, MANN_KENDALL_MIN_POINTS } from './statistics.js';
import { indicatorDefinitions, indicatorRecomputes, indicatorSettings } from './indicators.tables.js';

/** The shortest and longest trend windows: Theil–Sen needs two points; longer windows hide today's direction. */
export const WINDOW_LIMITS = { min: 2, max: 20 } as const;

/** Yields to the event loop, so that waiting requests run between batches. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Scores: higher is always better (statistics.ts score()). */
const scoreOf = (value: SQL) =>
  sql`case d.polarity when 'higher' then ${value} when 'lower' then -${value} else -abs(${value} - d.target) end`;

/**
 * The statements that fill the period quartiles and the trends of the indicators in `scope`: on
 * PostgreSQL one statement (the values read once), on PGlite two, so each holds the event loop for less.
 */
function resultsStatements(scope: SQL, window: number, together: boolean): SQL[] {
  // Offsets 1 … window − 1 reach every earlier (lag) and later (lead) point of a series of `window` periods.
  const offsets = Array.from({ length: Math.max(1, window - 1) }, (_, i) => i + 1);
  const lags = sql.raw(
    offsets
      .map(
        (k) =>
          `, lag(period_index, ${k}) over w as p${k}, lag(value, ${k}) over w as v${k}, lag(score, ${k}) over w as s${k}, lead(score, ${k}) over w as f${k}`,
      )
      .join(''),
  );
  // Pair row k's earlier point: column p (period), v (value) or s (score) of lag k.
  const earlier = (column: 'p' | 'v' | 's') =>
    sql.raw(`case k ${offsets.map((k) => `when ${k} then l.${column}${k}`).join(' ')} end`);
  // How many other points of the series share this point's score.
  const tied = sql.raw(
    offsets.map((k) => `coalesce((l.score = l.s${k})::int, 0) + coalesce((l.score = l.f${k})::int, 0)`).join(' + '),
  );
  const cells = sql`cells as materialized (
      select indicator_id, period_index, array_agg(organisation_id) as orgs, array_agg(value) as vals
      from indicator_values where ${scope} and value is not null
      group by indicator_id, period_index
    )`;
  const stats = sql`
      insert into indicator_period_stats (indicator_id, period_index, count, q1, median, q3)
      select indicator_id, period_index, cardinality(vals), q[1], q[2], q[3]
      from cells, lateral (
        select percentile_cont(array[0.25, 0.5, 0.75]) within group (order by x) as q from unnest(vals) x
      ) p`;
  const trends = sql`
    -- Each indicator's window ends at its latest period with values for at least half as many
    -- organisations as its fullest period (windowPeriodStats reads the same end): one organisation's typo year or early
    -- figures do not move everyone's window to a period nobody else has reported yet.
    windows as (
      select indicator_id, last - ${window - 1} as first, last from (
        select indicator_id, max(period_index) filter (where 2 * n >= most) as last from (
          select indicator_id, period_index, cardinality(orgs) as n,
            max(cardinality(orgs)) over (partition by indicator_id) as most
          from cells) counted
        group by indicator_id) ends
    ),
    -- Materialized, and each point's quartile placed here: flattened into the sort below, it would carry
    -- each cell's arrays and quartile bounds with every point.
    placed as materialized (
      select c.indicator_id, c.period_index, x.organisation_id, x.value, x.score,
        -- rank() with ties sharing the best place: one more than the scores above this one, found by
        -- width_bucket's binary search of the cell's sorted scores (it counts those at or below), so the
        -- window's points need no sort by cell.
        1 + cardinality(c.vals) - width_bucket(x.score, q.sorted) as rank, cardinality(c.vals) as count,
        case when x.score >= q.q[3] then 1 when x.score >= q.q[2] then 2 when x.score >= q.q[1] then 3 else 4 end as quartile
      from cells c
      join windows w on w.indicator_id = c.indicator_id and c.period_index between w.first and w.last
      join indicator_definitions d on d.id = c.indicator_id
      cross join lateral (
        select percentile_cont(array[0.25, 0.5, 0.75]) within group (order by v.score) as q,
          array_agg(v.score order by v.score) as sorted
        from (select ${scoreOf(sql`value`)} as score from unnest(c.vals) as u(value)) v
      ) q
      cross join lateral (
        select organisation_id, value, ${scoreOf(sql`value`)} as score from unnest(c.orgs, c.vals) as u(organisation_id, value)
      ) x
    ),
    lagged as (
      select organisation_id, indicator_id, period_index, value, score, rank, count, quartile
        ${lags}
      from placed window w as (partition by organisation_id, indicator_id order by period_index)
    ),
    paired as (
      -- Pair row k of a point reaches back k points. CASE rather than a lateral VALUES list per point,
      -- whose expressions PostgreSQL would compile again for every point (a tenth of the whole run).
      select l.*, k, (l.value - e.v) / (l.period_index - e.p) as value_slope,
        (l.score - e.s) / (l.period_index - e.p) as score_slope, sign(l.score - e.s) as s,
        case when k = 1 then ${tied} end as tied
      from lagged l cross join generate_series(1, ${sql.raw(String(offsets.length))}) k,
        lateral (select ${earlier('p')} as p, ${earlier('v')} as v, ${earlier('s')} as s) e
    ),
    fits as (
      -- Rows with k = 1 are the points themselves; every row is a pair with an earlier point (or none).
      -- The points arrive in period order, as the window w sorted them, and the arrays keep that order:
      -- an ORDER BY inside each array_agg would sort every series again, five times (PostgreSQL 16 would
      -- see the input is sorted; 15 does not), a tenth of the run. The recompute tests hold the order.
      select organisation_id, indicator_id,
        array_agg(period_index) filter (where k = 1) as periods,
        array_agg(value) filter (where k = 1) as window_values,
        array_agg(rank) filter (where k = 1) as ranks,
        array_agg(count) filter (where k = 1) as counts,
        array_agg(quartile) filter (where k = 1) as quartiles,
        count(*) filter (where k = 1)::int as n,
        max(period_index) - min(period_index) as span,
        percentile_cont(0.5) within group (order by abs(value)) filter (where k = 1) * ${TOLERANCE} as tolerance,
        percentile_cont(0.5) within group (order by value_slope) as slope,
        percentile_cont(0.5) within group (order by score_slope) as score_slope,
        coalesce(sum(s), 0)::int as s,
        sum(tied * (2 * tied + 7)) as ties
      from paired group by organisation_id, indicator_id
    )
    insert into indicator_trends (organisation_id, indicator_id, periods, window_values, ranks, counts, quartiles,
      direction, slope, change, tolerance, points, mk_s, mk_variance)
    select organisation_id, indicator_id, periods, window_values, ranks, counts, quartiles,
      case when slope is null then 'insufficient'
        when score_slope * span > tolerance then 'improving'
        when score_slope * span < -tolerance then 'declining'
        else 'stable' end,
      slope, score_slope * span, case when slope is null then null else tolerance end, n,
      case when n >= ${MANN_KENDALL_MIN_POINTS} then s end,
      -- Σ over tie groups of t(t−1)(2t+5) is Σ over points of e(2e+7), e the point's tied others.
      case when n >= ${MANN_KENDALL_MIN_POINTS} then (n * (n - 1) * (2 * n + 5) - ties) / 18.0 end
    from fits`;
  return together
    ? [sql`with ${cells}, stats as (${stats}), ${trends}`]
    : [sql`with ${cells} ${stats}`, sql`with ${cells}, ${trends}`];
}

/** The trend window in force. */
export async function trendWindow(db: Database): Promise<number> {
  const [row] = await db.select({ window: indicatorSettings.trendWindow }).from(indicatorSettings).limit(1);
  return row?.window ?? 3;
}

/**
 * Changes the trend window (audited, with the previous one); every indicator is then behind until
 * recomputed. Returns whether it changed.
 */
export async function setTrendWindow(db: Database, window: number, actor: UserActor | SystemActor): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await trendWindow(tx);
    if (before === window) return false;
    const label = actor.kind === 'user' ? actor.email : `system (${actor.label})`;
    await tx
      .insert(indicatorSettings)
      .values({ id: 1, trendWindow: window, changedAt: new Date(), changedBy: label })
      .onConflictDoUpdate({
        target: indicatorSettings.id,
        set: { trendWindow: window, changedAt: new Date(), changedBy: label },
      });
    await recordAudit(tx, {
      actor,
      action: 'indicators.window_changed',
      entityType: 'indicator_settings',
      entityId: 'trend_window',
      before: { window: before },
      after: { window },
    });
    return true;
  });
}

export interface RecomputeFailure {
  indicatorId: string;
  code: string;
  /** The database's reason, e.g. "value out of range: overflow". */
  message: string;
}

export interface RecomputeOutcome {
  indicators: number;
  window: number;
  durationMs: number;
  /** Indicators whose results could not be computed: their previous results stay, marked behind. */
  failed: RecomputeFailure[];
}

interface Target {
  id: string;
  code: string;
  generation: number;
}

/** Marks indicators' results as computed from these generations with this window (in the results' transaction). */
async function markComputed(tx: Database, targets: readonly Target[], window: number) {
  await tx.execute(sql`
    update indicator_definitions d set results_generation = x.generation, results_window = ${window}
    from unnest(${sql.param(targets.map((t) => t.id))}::uuid[], ${sql.param(targets.map((t) => t.generation))}::bigint[])
      as x(id, generation)
    where d.id = x.id`);
}

const reasonOf = (error: unknown) => {
  // drizzle wraps the driver's error; the database's own message is the useful part.
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
};

/**
 * Taken first in every transaction that writes results, until it ends: two recomputes (a node's job and
 * `kloe indicators import` or `recompute` run beside the servers) take turns rather than delete and insert
 * the same indicators' results at once. Each then reads the values as they are when it has the lock.
 * 4_250_217–4_250_219 are the migration, audit chain and start-up locks.
 */
const RESULTS_LOCK_KEY = 4_250_220;
const takeResultsLock = (tx: Database) => tx.execute(sql`select pg_advisory_xact_lock(${RESULTS_LOCK_KEY})`);

/** PostgreSQL: one transaction for all targets. */
async function recomputeTogether(db: Database, targets: readonly Target[], window: number) {
  const scope = sql`indicator_id = any(${sql.param(targets.map((t) => t.id))}::uuid[])`;
  await db.transaction(async (tx) => {
    await takeResultsLock(tx);
    // The sorts and the hash of indicator × period fit in memory; the planner needs the values'
    // statistics to choose the hash, and an import may just have changed a tenth of them or more
    // (as autovacuum would judge, which may be off or not yet round).
    await tx.execute(sql`set local work_mem = '256MB'`);
    // The plan is scans, sorts and aggregates, which JIT compilation does not speed up, while compiling
    // costs time whenever the row estimates are high enough to call for it.
    await tx.execute(sql`set local jit = off`);
    const { rows } = (await tx.execute(sql`
      select coalesce(last_analyze, last_autoanalyze) is null
        or n_mod_since_analyze > 0.1 * greatest(n_live_tup, 1) as stale
      from pg_stat_user_tables where relid = 'indicator_values'::regclass`)) as unknown as {
      rows: { stale: boolean }[];
    };
    if (rows[0]?.stale !== false) await tx.execute(sql`analyze indicator_values`);
    await tx.execute(sql`delete from indicator_period_stats where ${scope}`);
    await tx.execute(sql`delete from indicator_trends where ${scope}`);
    for (const statement of resultsStatements(scope, window, true)) await tx.execute(statement);
    await markComputed(tx, targets, window);
  });
}

/**
 * One indicator, one table at a time, each in its own transaction (PGlite has one connection: a
 * transaction open across a yield would take in other requests' queries), the event loop free between.
 */
async function recomputeOne(db: Database, target: Target, window: number, giveWay: GiveWay) {
  const scope = sql`indicator_id = ${target.id}`;
  const [stats, trends] = resultsStatements(scope, window, false);
  await db.transaction(async (tx) => {
    await takeResultsLock(tx);
    await tx.execute(sql`delete from indicator_period_stats where ${scope}`);
    await tx.execute(stats!);
  });
  await giveWay();
  await db.transaction(async (tx) => {
    await takeResultsLock(tx);
    await tx.execute(sql`delete from indicator_trends where ${scope}`);
    await tx.execute(trends!);
    await markComputed(tx, [target], window);
  });
  await giveWay();
}

/**
 * Recomputes the results of the given indicators (all when omitted) with the stored trend window. On PGlite,
 * `giveWay` runs between the steps (a server's job waits there for the requests it holds up); by default one
 * turn of the event loop.
 */
export async function recompute(
  database: Pick<DatabaseHandle, 'db' | 'driver'>,
  options: { indicatorIds?: readonly string[]; giveWay?: GiveWay } = {},
): Promise<RecomputeOutcome> {
  const started = performance.now();
  const { db } = database;
  const window = await trendWindow(db);
  // The generations are read before the values: results marked with them are at least that new.
  const targets: Target[] = await db
    .select({
      id: indicatorDefinitions.id,
      code: indicatorDefinitions.code,
      generation: indicatorDefinitions.valuesGeneration,
    })
    .from(indicatorDefinitions)
    .where(options.indicatorIds ? inArray(indicatorDefinitions.id, [...options.indicatorIds]) : undefined);
  const failed: RecomputeFailure[] = [];
  const one = async (target: Target) => {
    try {
      await recomputeOne(db, target, window, options.giveWay ?? yieldToEventLoop);
    } catch (error) {
      failed.push({ indicatorId: target.id, code: target.code, message: reasonOf(error) });
    }
  };
  if (targets.length > 0 && database.driver === 'postgres') {
    try {
      await recomputeTogether(db, targets, window);
    } catch {
      // One indicator's series may be what failed: each on its own, so the rest are computed.
      for (const target of targets) await one(target);
    }
    // Every recompute leaves the old results dead; without a vacuum (autovacuum may be off or late) each
    // next recompute wades through them and its inserts slow down run after run.
    await db.execute(sql`vacuum indicator_trends, indicator_period_stats`);
  } else {
    for (const target of targets) await one(target);
  }
  const durationMs = Math.round(performance.now() - started);
  await db.insert(indicatorRecomputes).values({ window, durationMs });
  return { indicators: targets.length - failed.length, window, durationMs, failed };
}

/**
 * Recomputes every indicator whose results are behind its values or the trend window, as every start
 * and every import does: after a crash between an import's commit and its recompute, after a change of
 * window, for a new installation's own data. Returns what it did, or undefined when nothing was behind.
 */
export async function recomputeBehind(
  database: Pick<DatabaseHandle, 'db' | 'driver'>,
  options: { giveWay?: GiveWay } = {},
): Promise<RecomputeOutcome | undefined> {
  const { rows } = (await database.db.execute(sql`
    select d.id from indicator_definitions d, indicator_settings s
    where d.results_generation is distinct from d.values_generation
      or d.results_window is distinct from s.trend_window`)) as unknown as { rows: { id: string }[] };
  if (rows.length === 0) return undefined;
  return recompute(database, { indicatorIds: rows.map((r) => r.id), giveWay: options.giveWay });
}
