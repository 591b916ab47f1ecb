/**
 * Merging the staged rows into the values with set-based SQL: values that differ are updated (their old
 * and new forms kept for the audit), new keys are inserted, equal ones are left alone — so importing the
 * same file again changes nothing. Joins rather than ON CONFLICT: a conflict check probes the key index
 * once per row, a join reads each side once.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit, type SystemActor } from '../audit/index.js';
import { STAGING_COLUMNS } from './import-staging.js';

export interface Change {
  indicator_id: string;
  code: string;
  period: string;
  period_index: number;
  old_value: number | null;
  new_value: number | null;
  old_quality: string | null;
  new_quality: string | null;
}

/**
 * Other writers of values wait until the import commits, so no key appears between the join that finds
 * the new keys and their insert; readers are not held up.
 */
export async function lockValues(tx: Database): Promise<void> {
  await tx.execute(sql`lock table indicator_values in share row exclusive mode`);
}

/**
 * A small batch is best matched by probing the key index row by row, but the planner, weighing a
 * values table it has no statistics for, may hash all of it for every batch — a full read each time.
 * `on` turns hash and merge joins off for the rest of the transaction, `off` gives them back.
 */
export async function probeKeysOneByOne(tx: Database, on: boolean): Promise<void> {
  const setting = sql.raw(on ? 'off' : 'default');
  await tx.execute(sql`set local enable_hashjoin to ${setting}`);
  await tx.execute(sql`set local enable_mergejoin to ${setting}`);
}

/** Counts the staging table for the planner, which otherwise guesses its size. */
export async function analyzeStaging(tx: Database): Promise<void> {
  await tx.execute(sql`analyze indicator_import`);
}

const SAME_KEY = (a: string, b: string) =>
  sql.raw(
    `${a}.indicator_id = ${b}.indicator_id and ${a}.period_index = ${b}.period_index and ${a}.organisation_id = ${b}.organisation_id`,
  );

/**
 * Updates every value the `source` rows (import-staging.ts) change, returning each change (all
 * data-modifying CTEs see the old values).
 */
export async function updateChanged(tx: Database, source: SQL): Promise<Change[]> {
  const { rows } = (await tx.execute(sql`
    with changed as (
      select i.indicator_id, i.period_index, i.organisation_id, i.period,
        v.value as old_value, i.value as new_value, v.quality as old_quality, i.quality as new_quality
      from ${source} i join indicator_values v on ${SAME_KEY('v', 'i')}
      where (v.value, v.quality) is distinct from (i.value, i.quality)
    ), updated as (
      update indicator_values v set value = c.new_value, quality = c.new_quality, period = c.period
      from changed c where ${SAME_KEY('v', 'c')}
    )
    select c.indicator_id, o.code, c.period, c.period_index, c.old_value, c.new_value, c.old_quality, c.new_quality
    from changed c join organisations o on o.id = c.organisation_id`)) as unknown as { rows: Change[] };
  return rows;
}

/** Inserts the `source` rows whose keys have no value yet, in key order (kinder to the key index); returns how many. */
export async function insertNew(tx: Database, source: SQL): Promise<number> {
  const columns = sql.raw(STAGING_COLUMNS);
  const { rows } = (await tx.execute(sql`
    with added as (
      insert into indicator_values (${columns})
      select ${columns} from ${source} i
      where not exists (select from indicator_values v where ${SAME_KEY('v', 'i')})
      order by indicator_id, organisation_id, period_index
      returning 1
    )
    select count(*)::int as added from added`)) as unknown as { rows: { added: number }[] };
  return rows[0]!.added;
}

/**
 * Gives the planner statistics of the values after a bulk load (PostgreSQL's advice for one): the
 * recompute that follows plans its grouping by them, and would otherwise analyze them itself.
 */
export async function analyzeValues(db: Database): Promise<void> {
  await db.execute(sql`analyze indicator_values`);
}

/** Whether indicator_values holds no value at all: a first load, which can go straight into the table. */
export async function valuesEmpty(tx: Database): Promise<boolean> {
  const { rows } = (await tx.execute(sql`select not exists (select from indicator_values) as empty`)) as unknown as {
    rows: { empty: boolean }[];
  };
  return rows[0]!.empty;
}

/**
 * Whether the staged rows should go in with the indexes and keys set aside (`withIndexesRebuilt`): when
 * they bring at least as many new values as the table already holds. Then building every index again from
 * sorted rows costs less than inserting into them row by row; a smaller import into a big table is cheaper
 * merged, and leaves readers alone.
 */
export async function worthRebuilding(tx: Database): Promise<boolean> {
  const { rows } = (await tx.execute(sql`
    select (select count(*) from indicator_import i
              where not exists (select from indicator_values v where ${SAME_KEY('v', 'i')}))
           >= greatest((select reltuples from pg_class where oid = 'indicator_values'::regclass), 0) as worth`)) as unknown as {
    rows: { worth: boolean }[];
  };
  return rows[0]!.worth;
}

/**
 * Runs `work` (which adds values) with indicator_values' indexes, primary key and foreign keys dropped, and
 * puts them back afterwards: an index built from the sorted rows is far cheaper than a million single
 * insertions into it, and a foreign key added back is checked by one join rather than a lookup per row.
 * The definitions are read from the catalog, so what is put back is exactly what the migrations made. The
 * price: readers of the values wait until the import commits.
 */
export async function withIndexesRebuilt<T>(tx: Database, work: () => Promise<T>): Promise<T> {
  const { rows: constraints } = (await tx.execute(sql`
    select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
    where conrelid = 'indicator_values'::regclass and contype in ('p', 'u', 'f')
    order by contype desc`)) as unknown as { rows: { name: string; definition: string }[] }; // keys before foreign keys
  const { rows: indexes } = (await tx.execute(sql`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = 'indicator_values'::regclass
      and not exists (select from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)`)) as unknown as {
    rows: { name: string; definition: string }[];
  };
  await tx.execute(sql`lock table indicator_values in access exclusive mode`);
  // Room to sort the rows in memory for the insert (the default spills a national file's rows to disk) and to
  // build each index.
  await tx.execute(sql`set local work_mem = '256MB'`);
  await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
  for (const c of constraints)
    await tx.execute(sql`alter table indicator_values drop constraint ${sql.identifier(c.name)}`);
  for (const index of indexes) await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
  const result = await work();
  for (const c of constraints)
    await tx.execute(
      sql`alter table indicator_values add constraint ${sql.identifier(c.name)} ${sql.raw(c.definition)}`,
    );
  for (const index of indexes) await tx.execute(sql.raw(index.definition));
  return result;
}

/** Raises the values generation of indicators whose values an import changed (committed with them). */
export async function markValuesChanged(tx: Database, indicatorIds: readonly string[]): Promise<void> {
  await tx.execute(sql`
    update indicator_definitions set values_generation = values_generation + 1
    where id = any(${sql.param([...indicatorIds])}::uuid[])`);
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byIndicatorOrganisationPeriod = (a: Change, b: Change) =>
  compare(a.indicator_id, b.indicator_id) || compare(a.code, b.code) || a.period_index - b.period_index;

/** One audit entry per indicator, listing each of its changed values before and after. */
export async function auditChanges(tx: Database, actor: UserActor | SystemActor, changes: Change[]): Promise<void> {
  const byIndicator = new Map<string, Change[]>();
  for (const change of changes.sort(byIndicatorOrganisationPeriod)) {
    const list = byIndicator.get(change.indicator_id) ?? [];
    list.push(change);
    byIndicator.set(change.indicator_id, list);
  }
  for (const [indicatorId, list] of byIndicator) {
    const entry = (pick: 'old' | 'new') =>
      list.map((c) => ({
        organisation: c.code,
        period: c.period,
        value: c[`${pick}_value`],
        quality: c[`${pick}_quality`],
      }));
    await recordAudit(tx, {
      actor,
      action: 'indicator.values_changed',
      entityType: 'indicator',
      entityId: indicatorId,
      before: entry('old'),
      after: entry('new'),
    });
  }
}
