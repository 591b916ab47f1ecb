/**
 * The staging table an import's checked rows go into before they are merged into the values on PostgreSQL:
 * a temporary table filled by COPY FROM STDIN (the bulk-load path, a stream fed while the file is still being
 * read). PGlite stages into a table of its own, a slice at a time (import-journal.ts), from arrays (`unnested`).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { ImportRow } from './import-validate.js';

export const STAGING_COLUMNS = 'indicator_id, period_index, organisation_id, period, value, quality';

export async function createStaging(tx: Database): Promise<void> {
  await tx.execute(sql`create temporary table indicator_import (
    indicator_id uuid, period_index int, organisation_id uuid, period text, value float8, quality text
  ) on commit drop`);
}

export const COPY_STAGING = `copy indicator_import (${STAGING_COLUMNS}) from stdin`;

/**
 * Straight into the values: only while the table is empty and its indexes are set aside (import-merge.ts),
 * and just after it was truncated in the same transaction, which lets COPY write the rows already frozen:
 * the first read after the import (the recompute) then has no hint bits to set, so no page to write again.
 */
export const COPY_VALUES = `copy indicator_values (${STAGING_COLUMNS}) from stdin with (freeze)`;

/**
 * Rows as COPY text lines. No field needs escaping: ids are uuids, periods and qualities canonical
 * labels, and a JavaScript number prints in a form float8 reads back exactly.
 */
export function copyLines(rows: readonly ImportRow[]): string {
  let text = '';
  for (const r of rows)
    text += `${r.indicatorId}\t${r.periodIndex}\t${r.organisationId}\t${r.period}\t${r.value ?? '\\N'}\t${r.quality ?? '\\N'}\n`;
  return text;
}

/**
 * Streams every batch into a COPY; the server parses one batch while the next is read and checked.
 * Returns the milliseconds spent waiting for the server. Should a batch fail (a bad row ends the
 * import), the COPY is abandoned so its transaction can roll back.
 */
export async function copyBatches(copy: Writable, batches: AsyncIterable<readonly ImportRow[]>): Promise<number> {
  let waited = 0;
  try {
    for await (const rows of batches) {
      if (copy.write(copyLines(rows))) continue;
      const started = performance.now();
      await once(copy, 'drain');
      waited += performance.now() - started;
    }
    const started = performance.now();
    copy.end();
    await finished(copy);
    return waited + performance.now() - started;
  } catch (error) {
    copy.destroy(error as Error);
    await finished(copy).catch(() => {});
    throw error;
  }
}

/** The rows a merge reads: everything staged (PostgreSQL, where COPY filled the staging table). */
export const STAGED: SQL = sql`indicator_import`;

/**
 * One slice of rows as arrays unnested server-side (PGlite): what a slice is staged from, and what the
 * merge statements read a slice of staged rows from.
 */
export function unnested(rows: readonly ImportRow[]): SQL {
  return sql`(select * from unnest(
      ${sql.param(rows.map((r) => r.indicatorId))}::uuid[], ${sql.param(rows.map((r) => r.periodIndex))}::int[],
      ${sql.param(rows.map((r) => r.organisationId))}::uuid[], ${sql.param(rows.map((r) => r.period))}::text[],
      ${sql.param(rows.map((r) => r.value))}::float8[], ${sql.param(rows.map((r) => r.quality))}::text[]
    ) as batch(${sql.raw(STAGING_COLUMNS)}))`;
}
