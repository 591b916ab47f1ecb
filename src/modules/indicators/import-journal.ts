/**
 * Importing on the embedded database (PGlite) while the site keeps answering. PGlite has one connection:
 * while a transaction is open every other request's query waits for it to end, so an import in one
 * transaction would hold the whole site for as long as it runs. Instead:
 *
 * 1. staging: the checked rows go into indicator_import_rows under the import's id, each slice in a short
 *    transaction of its own, the event loop given back between; a bad row (or any failure) deletes them,
 *    and the values were never touched;
 * 2. the commit point: once every row is checked and staged, one statement marks the import `merging`;
 * 3. merging: the staged rows are merged into the values a slice at a time in key order, each slice in one
 *    transaction with its audit entry, the generations it raises and the deletion of its staged rows, so a
 *    slice is merged once whatever happens.
 *
 * An import interrupted (kill -9, power cut) while staging is discarded at the next start; one interrupted
 * while merging is finished at the next start, in the name of the person who imported. Either way the values
 * end with all of the file or none of it. While a merge runs, readers see the indicators it has reached with
 * their new values and the rest with the old.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';
import {
  auditChanges,
  insertNew,
  markValuesChanged,
  probeKeysOneByOne,
  updateChanged,
  type Change,
} from './import-merge.js';
import { STAGING_COLUMNS, unnested } from './import-staging.js';
import type { ImportRow } from './import-validate.js';
import { yieldToEventLoop } from './indicators.recompute.js';
import { indicatorImports } from './indicators.tables.js';

type Actor = UserActor | SystemActor;

/**
 * Rows staged, and merged, per transaction. Merging costs PGlite about 40 µs a row (two indexes, a foreign
 * key and the change check), so a slice of 1,000 holds other requests for some tens of milliseconds.
 */
export const STAGE_SLICE = 2_000;
export const MERGE_SLICE = 1_000;
/** Staged rows deleted per transaction when an import is abandoned. */
const DISCARD_SLICE = 5_000;

/** Waits between two steps of an import: at least a turn of the event loop (yieldToEventLoop). */
export type GiveWay = () => Promise<void>;

export interface JournalPhases {
  load: number;
  merge: number;
  audit: number;
}

async function timed<T>(phases: JournalPhases, phase: keyof JournalPhases, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases[phase] += performance.now() - started;
  }
}

/** Opens an import in the journal; its rows are staged under the id returned. */
export async function beginImport(db: Database, actor: Actor): Promise<string> {
  const [row] = await db
    .insert(indicatorImports)
    .values({ state: 'staging', actor })
    .returning({ id: indicatorImports.id });
  return row!.id;
}

/** Stages every batch, a slice per transaction; a failure (a bad row ends the stream) discards the import. */
export async function stageRows(
  db: Database,
  importId: string,
  batches: AsyncIterable<readonly ImportRow[]>,
  phases: JournalPhases,
  giveWay: GiveWay = yieldToEventLoop,
): Promise<void> {
  try {
    for await (const batch of batches)
      for (let at = 0; at < batch.length; at += STAGE_SLICE) {
        const source = unnested(batch.slice(at, at + STAGE_SLICE));
        await timed(phases, 'load', () =>
          db.execute(sql`
            insert into indicator_import_rows (import_id, ${sql.raw(STAGING_COLUMNS)})
            select ${importId}::uuid, ${sql.raw(STAGING_COLUMNS)} from ${source} i`),
        );
        await giveWay();
      }
    // The commit point: from here the import is finished, even by the next start after a crash.
    await db.execute(sql`update indicator_imports set state = 'merging' where id = ${importId}`);
  } catch (error) {
    await discardImport(db, importId);
    throw error;
  }
}

/** Deletes an unfinished import's staged rows, a slice per transaction, and then the import. */
export async function discardImport(db: Database, importId: string): Promise<void> {
  for (;;) {
    const { rows } = (await db.execute(sql`
      with gone as (
        delete from indicator_import_rows where ctid = any(array(
          select ctid from indicator_import_rows where import_id = ${importId} limit ${DISCARD_SLICE}))
        returning 1
      )
      select count(*)::int as n from gone`)) as unknown as { rows: { n: number }[] };
    if (rows[0]!.n === 0) break;
    await yieldToEventLoop();
  }
  await db.execute(sql`delete from indicator_imports where id = ${importId}`);
}

/** Orders rows as the staging table's key does (uuids compare as their text does, lower case). */
function compareKeys(a: ImportRow, b: ImportRow): number {
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    text(a.indicatorId, b.indicatorId) || text(a.organisationId, b.organisationId) || a.periodIndex - b.periodIndex
  );
}

export interface Merged {
  added: number;
  changed: number;
}

/**
 * Merges a staged import into the values a slice at a time (each slice: its changed values updated, its
 * new keys inserted, its changes audited, its indicators' generations raised and its staged rows deleted,
 * in one transaction), then closes the import. `progress` gets the rows merged so far.
 */
export async function mergeImport(
  db: Database,
  importId: string,
  actor: Actor,
  phases: JournalPhases,
  options: { progress?: (merged: number) => void; giveWay?: GiveWay } = {},
): Promise<Merged> {
  const { progress, giveWay = yieldToEventLoop } = options;
  const merged: Merged = { added: 0, changed: 0 };
  let done = 0;
  let last: ImportRow | undefined;
  for (;;) {
    const slice = await db.transaction(async (tx) => {
      // Read by the key alone, from where the last slice ended: the staging table is never analyzed, so the
      // planner would otherwise read all of it and sort for every slice; and the dead rows of the slices
      // before are not read again.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      await probeKeysOneByOne(tx, true);
      const after = last
        ? sql`and (indicator_id, organisation_id, period_index)
                > (${last.indicatorId}::uuid, ${last.organisationId}::uuid, ${last.periodIndex}::int)`
        : sql``;
      // The next slice in key order, taken out of the staging table (merged in this same transaction).
      const { rows } = (await tx.execute(sql`
        delete from indicator_import_rows where ctid = any(array(
          select ctid from indicator_import_rows where import_id = ${importId} ${after}
          order by indicator_id, organisation_id, period_index limit ${MERGE_SLICE}))
        returning indicator_id as "indicatorId", period_index as "periodIndex",
          organisation_id as "organisationId", period, value, quality`)) as unknown as { rows: ImportRow[] };
      if (rows.length === 0) return undefined;
      const source = unnested(rows);
      let changes: Change[] = [];
      let added = 0;
      await timed(phases, 'merge', async () => {
        changes = await updateChanged(tx, source);
        added = await insertNew(tx, source);
      });
      await timed(phases, 'audit', () => auditChanges(tx, actor, changes));
      if (added + changes.length > 0) await markValuesChanged(tx, [...new Set(rows.map((r) => r.indicatorId))]);
      return { rows, added, changed: changes.length };
    });
    if (!slice) break;
    merged.added += slice.added;
    merged.changed += slice.changed;
    done += slice.rows.length;
    last = slice.rows.reduce((a, b) => (compareKeys(a, b) >= 0 ? a : b));
    progress?.(done);
    await giveWay();
  }
  await db.execute(sql`delete from indicator_imports where id = ${importId}`);
  return merged;
}

export interface Settled {
  discarded: number;
  finished: number;
}

/**
 * At start: discards the imports a crash left staging and finishes those it left merging, so the values
 * hold all of each file or none of it before kloe serves.
 */
export async function settleInterruptedImports(db: Database): Promise<Settled> {
  const open = await db
    .select({ id: indicatorImports.id, state: indicatorImports.state, actor: indicatorImports.actor })
    .from(indicatorImports);
  const settled: Settled = { discarded: 0, finished: 0 };
  for (const entry of open) {
    if (entry.state === 'staging') {
      await discardImport(db, entry.id);
      settled.discarded++;
    } else {
      await mergeImport(db, entry.id, entry.actor as Actor, { load: 0, merge: 0, audit: 0 });
      settled.finished++;
    }
  }
  return settled;
}
