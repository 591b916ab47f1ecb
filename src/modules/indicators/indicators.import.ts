/**
 * Importing indicator values, all or nothing: the file is read and checked a batch at a time. On PostgreSQL,
 * in one transaction, the checked rows go into a staging table as they come, through COPY FROM STDIN, which
 * the server parses while the next batch is read, and are merged into the values with set-based SQL
 * (import-merge.ts). Into an empty table (a first national load) the rows are copied straight in instead,
 * and an import that brings at least as many new values as the table holds is merged; both with the table's
 * indexes and keys set aside and built again after, and the values analyzed once committed. On PGlite, whose
 * one connection holds every other query while a transaction is open, the rows are staged and merged in
 * short transactions instead, with a journal that a start after a crash finishes or discards
 * (import-journal.ts). A bad row stops the writing (checking goes on, to report every bad row) and nothing
 * is kept. Importing the same file again changes nothing; a corrected value replaces the old one with an
 * audit entry naming each change. The affected indicators' results are then recomputed.
 */
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { UserActor } from '../accounts/index.js';
import type { SystemActor } from '../audit/index.js';
import { organisations } from '../../db/schema.js';
import { readIndicatorFile } from './import-file.js';
import {
  auditChanges,
  analyzeStaging,
  analyzeValues,
  insertNew,
  lockValues,
  markValuesChanged,
  updateChanged,
  valuesEmpty,
  withIndexesRebuilt,
  worthRebuilding,
  type Change,
} from './import-merge.js';
import { beginImport, mergeImport, stageRows, type GiveWay } from './import-journal.js';
import { copyBatches, COPY_STAGING, COPY_VALUES, createStaging, STAGED } from './import-staging.js';
import { RowChecker, type ImportRow, type Lookups } from './import-validate.js';
import { indicatorDefinitions } from './indicators.tables.js';
import { recomputeBehind, yieldToEventLoop, type RecomputeOutcome } from './indicators.recompute.js';

export type ImportStage = 'reading' | 'checking' | 'writing' | 'recomputing';
export type ImportProgress = (stage: ImportStage, done: number, total: number) => void;

export interface ImportOutcome {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  recompute: RecomputeOutcome | undefined;
  phases: ImportPhases;
}

/**
 * Milliseconds spent reading the file, checking rows, loading them into the staging table (PostgreSQL:
 * waiting for the COPY, which runs alongside reading and checking; PGlite: staging each slice), merging
 * them into the values, and auditing changes.
 */
export interface ImportPhases {
  read: number;
  check: number;
  load: number;
  merge: number;
  audit: number;
}

const noPhases = (): ImportPhases => ({ read: 0, check: 0, load: 0, merge: 0, audit: 0 });

/** Bad rows reported on the page and in the API; the CLI prints every one. */
export class ImportRefusedError extends AppError {
  constructor(problems: { line: number; message: string }[]) {
    super(
      'indicator_import_invalid',
      400,
      `${problems.length} ${problems.length === 1 ? 'row has a problem' : 'rows have problems'}; nothing was imported`,
      problems.map((p) => ({ field: `line ${p.line}`, message: p.message })),
    );
  }
}

async function lookups(db: Database): Promise<Lookups> {
  const orgs = await db.select({ id: organisations.id, code: organisations.code }).from(organisations);
  const indicators = await db
    .select({
      id: indicatorDefinitions.id,
      code: indicatorDefinitions.code,
      periodType: indicatorDefinitions.periodType,
      unit: indicatorDefinitions.unit,
    })
    .from(indicatorDefinitions);
  return {
    organisations: new Map(orgs.map((o) => [o.code.toUpperCase(), o.id])),
    indicators: new Map(
      indicators.map((i) => [i.code.toUpperCase(), { id: i.id, periodType: i.periodType, unit: i.unit }]),
    ),
  };
}

async function timed<T>(phases: ImportPhases, phase: keyof ImportPhases, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases[phase] += performance.now() - started;
  }
}

/** Which rows went by: how many, and the indicators they belong to. */
async function* counting(
  batches: AsyncIterable<readonly ImportRow[]> | Iterable<readonly ImportRow[]>,
  seen: { rows: number; indicatorIds: Set<string> },
) {
  for await (const rows of batches) {
    seen.rows += rows.length;
    for (const row of rows) seen.indicatorIds.add(row.indicatorId);
    yield rows;
  }
}

export interface Written {
  added: number;
  changed: number;
  unchanged: number;
  indicatorIds: string[];
  phases: ImportPhases;
}

/**
 * Writes checked rows, all or nothing; `batches` may be a stream that throws (a bad row), which rolls
 * everything back (PostgreSQL) or discards what was staged (PGlite).
 */
export async function writeValues(
  database: Pick<DatabaseHandle, 'db' | 'copyTransaction'>,
  batches: AsyncIterable<readonly ImportRow[]> | Iterable<readonly ImportRow[]>,
  actor: UserActor | SystemActor,
  options: { progress?: ImportProgress; phases?: ImportPhases; giveWay?: GiveWay } = {},
): Promise<Written> {
  const phases = options.phases ?? noPhases();
  const seen = { rows: 0, indicatorIds: new Set<string>() };
  const rows = counting(batches, seen);
  const finish = async (tx: Database, { added, changes }: Step): Promise<Written> => {
    await timed(phases, 'audit', () => auditChanges(tx, actor, changes));
    if (added + changes.length > 0) await markValuesChanged(tx, [...seen.indicatorIds]);
    return {
      added,
      changed: changes.length,
      unchanged: seen.rows - added - changes.length,
      indicatorIds: [...seen.indicatorIds],
      phases,
    };
  };
  const { copyTransaction } = database;
  if (copyTransaction) {
    const { written, bulk } = await copyTransaction(async (tx, copyFrom) => {
      await lockValues(tx);
      const load = { tx, copyFrom, rows, phases, progress: options.progress };
      const step = (await valuesEmpty(tx)) ? await copyFirstLoad(load, seen) : await mergeStaged(load);
      return { written: await finish(tx, step), bulk: step.bulk === true };
    });
    // Once the rows are committed: analyzed inside their transaction, they would count as changed since.
    if (bulk) await timed(phases, 'merge', () => analyzeValues(database.db));
    return written;
  }
  // PGlite: short transactions, so other requests are answered while it runs (import-journal.ts).
  const { db } = database;
  const importId = await beginImport(db, actor);
  await stageRows(db, importId, rows, phases, options.giveWay);
  options.progress?.('writing', 0, seen.rows);
  const merged = await mergeImport(db, importId, actor, phases, {
    progress: (done) => options.progress?.('writing', done, seen.rows),
    giveWay: options.giveWay,
  });
  return {
    added: merged.added,
    changed: merged.changed,
    unchanged: seen.rows - merged.added - merged.changed,
    indicatorIds: [...seen.indicatorIds],
    phases,
  };
}

/** What one way of writing did: values added, and values changed (for the audit). */
interface Step {
  added: number;
  changes: Change[];
  /** Whether the values went in with the indexes set aside: a bulk load. */
  bulk?: boolean;
}

/** A PostgreSQL import in its transaction, with the values locked against other writers. */
interface CopyLoad {
  tx: Database;
  copyFrom: (statement: string) => Writable;
  rows: AsyncIterable<readonly ImportRow[]>;
  phases: ImportPhases;
  progress: ImportProgress | undefined;
}

/**
 * A first load: nothing to compare with, so the rows go straight into the empty table, and its indexes
 * and keys are built once they are all in. Checked rows have distinct keys; the key put back would refuse
 * any that did not, and the whole import with it.
 */
async function copyFirstLoad(load: CopyLoad, seen: { rows: number }): Promise<Step> {
  const { tx, phases } = load;
  let copied = 0;
  await withIndexesRebuilt(tx, async () => {
    await tx.execute(sql`truncate indicator_values`); // empty already: it only lets COPY freeze the rows
    phases.load += await copyBatches(load.copyFrom(COPY_VALUES), load.rows);
    copied = performance.now();
    load.progress?.('writing', 0, 1);
  });
  phases.merge += performance.now() - copied; // here: building the indexes and checking the keys
  load.progress?.('writing', 1, 1);
  return { added: seen.rows, changes: [], bulk: true };
}

/** Into a table with values: staged by COPY, then merged (with the indexes set aside when that pays). */
async function mergeStaged(load: CopyLoad): Promise<Step> {
  const { tx, phases } = load;
  await createStaging(tx);
  phases.load += await copyBatches(load.copyFrom(COPY_STAGING), load.rows);
  load.progress?.('writing', 0, 1);
  const step = await timed(phases, 'merge', async () => {
    await analyzeStaging(tx);
    const changes = await updateChanged(tx, STAGED);
    const insert = () => insertNew(tx, STAGED);
    if (!(await worthRebuilding(tx))) return { added: await insert(), changes };
    return { added: await withIndexesRebuilt(tx, insert), changes, bulk: true };
  });
  load.progress?.('writing', 1, 1);
  return step;
}

/** Reads, checks and writes a file (without recomputing); every bad row is reported and nothing is kept. */
export async function loadIndicatorFile(
  database: Pick<DatabaseHandle, 'db' | 'copyTransaction'>,
  buffer: Buffer,
  actor: UserActor | SystemActor,
  progress?: ImportProgress,
  giveWay: GiveWay = yieldToEventLoop,
): Promise<Written & { rows: number }> {
  const phases = noPhases();
  progress?.('reading', 0, 1);
  const checker = new RowChecker(await lookups(database.db));
  async function* checked() {
    const file = readIndicatorFile(buffer);
    for (;;) {
      const next = await timed(phases, 'read', () => file.next());
      if (next.done) break;
      const rows = await timed(phases, 'check', async () => checker.check(next.value.rows));
      // Once a row is bad nothing will be kept, so the rest is only checked, not written.
      if (checker.problems.length === 0) yield rows;
      progress?.('checking', Math.round(next.value.progress * 100), 100);
      await giveWay();
    }
    if (checker.problems.length > 0) throw new ImportRefusedError(checker.problems);
    if (checker.count === 0)
      throw new AppError('indicator_import_empty', 400, 'The file has no rows of values', [
        { field: 'file', message: 'The file has no rows of values' },
      ]);
  }
  const written = await writeValues(database, checked(), actor, { progress, phases, giveWay });
  for (const phase of Object.keys(phases) as (keyof ImportPhases)[]) phases[phase] = Math.round(phases[phase]);
  return { ...written, rows: checker.count };
}

/**
 * Reads, checks and writes a file, then recomputes whatever is behind: what it touched, and anything an
 * earlier import left behind (a crash before its recompute), so importing a file again repairs that too.
 * The import has committed by then; an indicator whose recompute fails is reported in the outcome.
 */
export async function importIndicatorFile(
  database: Pick<DatabaseHandle, 'db' | 'driver' | 'copyTransaction'>,
  buffer: Buffer,
  actor: UserActor | SystemActor,
  options: { progress?: ImportProgress; giveWay?: GiveWay } = {},
): Promise<ImportOutcome> {
  const written = await loadIndicatorFile(database, buffer, actor, options.progress, options.giveWay);
  options.progress?.('recomputing', 0, written.indicatorIds.length);
  const outcome = await recomputeBehind(database);
  const { rows, added, changed, unchanged, phases } = written;
  return { rows, added, changed, unchanged, recompute: outcome, phases };
}
