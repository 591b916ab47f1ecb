/**
 * Runs reads side by side on the connection pool; inside a transaction (one connection, one query at a
 * time, and node-postgres deprecates queueing queries on a busy client) one after another.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';

export async function readAll<T extends readonly (() => Promise<unknown>)[]>(
  db: Database,
  reads: T,
): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (!(db instanceof PgTransaction)) return Promise.all(reads.map((read) => read())) as never;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as never;
}
