/**
 * Importing indicator values, all or nothing: the file is read and every row checked first; only a file
 * without a bad row is written, in one transaction. Rows go into a temporary table in large batches
 * (arrays unnested server-side: one round trip per batch) and are merged into the values by key, so
 * importing the same file again changes nothing, and a corrected value replaces the old one with an
 * audit entry per indicator naming each change. The affected indicators' results are then recomputed.
 */
import { sql } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { UserActor } from '../accounts/actor.js';
import { recordAudit, type SystemActor } from '../audit/audit.recorder.js';
import { organisations } from '../organisations/organisations.tables.js';
import { readIndicatorFile } from './import-file.js';
import { validateRows, type ImportRow, type Lookups } from './import-validate.js';
import { indicatorDefinitions } from './indicators.tables.js';
import { recompute, yieldToEventLoop, type RecomputeOutcome } from './indicators.recompute.js';

export type ImportStage = 'reading' | 'checking' | 'writing' | 'recomputing';
export type ImportProgress = (stage: ImportStage, done: number, total: number) => void;

export interface ImportOutcome {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  recompute: RecomputeOutcome | undefined;
}

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
    })
    .from(indicatorDefinitions);
  return {
    organisations: new Map(orgs.map((o) => [o.code.toUpperCase(), o.id])),
    indicators: new Map(indicators.map((i) => [i.code.toUpperCase(), { id: i.id, periodType: i.periodType }])),
  };
}

/** PostgreSQL takes big batches; PGlite runs each on the event loop, so its batches stay small. */
const BATCH = { postgres: 50_000, pglite: 5_000 } as const;

async function loadBatches(tx: Database, rows: readonly ImportRow[], batch: number, progress?: ImportProgress) {
  for (let at = 0; at < rows.length; at += batch) {
    const slice = rows.slice(at, at + batch);
    await tx.execute(sql`insert into indicator_import
      select * from unnest(
        ${sql.param(slice.map((r) => r.indicatorId))}::uuid[], ${sql.param(slice.map((r) => r.periodIndex))}::int[],
        ${sql.param(slice.map((r) => r.organisationId))}::uuid[], ${sql.param(slice.map((r) => r.period))}::text[],
        ${sql.param(slice.map((r) => r.value))}::float8[], ${sql.param(slice.map((r) => r.quality))}::text[])`);
    progress?.('writing', Math.min(at + batch, rows.length), rows.length);
    await yieldToEventLoop();
  }
}

interface Change {
  indicator_id: string;
  code: string;
  period: string;
  old_value: number | null;
  new_value: number | null;
  old_quality: string | null;
  new_quality: string | null;
}

async function auditChanges(tx: Database, actor: UserActor | SystemActor) {
  const { rows } = (await tx.execute(sql`
    select i.indicator_id, o.code, i.period, v.value as old_value, i.value as new_value,
      v.quality as old_quality, i.quality as new_quality
    from indicator_import i
    join indicator_values v using (indicator_id, period_index, organisation_id)
    join organisations o on o.id = i.organisation_id
    where (v.value, v.quality) is distinct from (i.value, i.quality)
    order by i.indicator_id, o.code, i.period_index`)) as unknown as { rows: Change[] };
  const byIndicator = new Map<string, Change[]>();
  for (const row of rows) {
    const list = byIndicator.get(row.indicator_id) ?? [];
    list.push(row);
    byIndicator.set(row.indicator_id, list);
  }
  for (const [indicatorId, changes] of byIndicator) {
    const entry = (pick: 'old' | 'new') =>
      changes.map((c) => ({
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
  return rows.length;
}

async function merge(tx: Database, scope: ReturnType<typeof sql>): Promise<number> {
  const { rows } = (await tx.execute(sql`
    insert into indicator_values (indicator_id, period_index, organisation_id, period, value, quality)
    select indicator_id, period_index, organisation_id, period, value, quality from indicator_import where ${scope}
    on conflict (indicator_id, period_index, organisation_id) do update
      set value = excluded.value, quality = excluded.quality, period = excluded.period
      where (indicator_values.value, indicator_values.quality) is distinct from (excluded.value, excluded.quality)
    returning 1`)) as unknown as { rows: unknown[] };
  return rows.length;
}

export async function writeValues(
  database: Pick<DatabaseHandle, 'db' | 'driver'>,
  rows: readonly ImportRow[],
  actor: UserActor | SystemActor,
  progress?: ImportProgress,
): Promise<{ added: number; changed: number; unchanged: number; indicatorIds: string[] }> {
  const indicatorIds = [...new Set(rows.map((r) => r.indicatorId))];
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`create temporary table indicator_import (
      indicator_id uuid, period_index int, organisation_id uuid, period text, value float8, quality text
    ) on commit drop`);
    await loadBatches(tx, rows, BATCH[database.driver], progress);
    await tx.execute(sql`create index on indicator_import (indicator_id)`);
    await tx.execute(sql`analyze indicator_import`);
    const changed = await auditChanges(tx, actor);
    let written = 0;
    if (database.driver === 'postgres') written = await merge(tx, sql`true`);
    else
      for (const id of indicatorIds) {
        written += await merge(tx, sql`indicator_id = ${id}`);
        await yieldToEventLoop();
      }
    return { added: written - changed, changed, unchanged: rows.length - written, indicatorIds };
  });
}

/** Reads, checks and writes a file, then recomputes what it touched. */
export async function importIndicatorFile(
  database: Pick<DatabaseHandle, 'db' | 'driver'>,
  buffer: Buffer,
  actor: UserActor | SystemActor,
  options: { progress?: ImportProgress; window?: number } = {},
): Promise<ImportOutcome> {
  const { progress } = options;
  progress?.('reading', 0, 1);
  const raw = await readIndicatorFile(buffer);
  progress?.('checking', 0, raw.length);
  const { rows, problems } = await validateRows(raw, await lookups(database.db));
  if (problems.length > 0) throw new ImportRefusedError(problems);
  if (rows.length === 0)
    throw new AppError('indicator_import_empty', 400, 'The file has no rows of values', [
      { field: 'file', message: 'The file has no rows of values' },
    ]);
  const written = await writeValues(database, rows, actor, progress);
  const touched = written.added + written.changed > 0;
  progress?.('recomputing', 0, written.indicatorIds.length);
  const outcome = touched
    ? await recompute(database, { indicatorIds: written.indicatorIds, window: options.window })
    : undefined;
  return {
    rows: rows.length,
    added: written.added,
    changed: written.changed,
    unchanged: written.unchanged,
    recompute: outcome,
  };
}
