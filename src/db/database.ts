/** The database type every repository works with, whichever driver is underneath. */
import type { Writable } from 'node:stream';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Schema = typeof schema;
/** A connection or a transaction: repositories take either, so a service can run them in one transaction. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** Human-readable location for logs and /health, without credentials. */
  location: string;
  /** The folder the database writes its files in, where kloe can see it (PGlite on disk); /health checks it. */
  dataFolder?: string;
  /**
   * PostgreSQL only: runs `work` in a transaction on one connection that also takes `COPY … FROM STDIN`
   * (bulk loads at the speed of COPY; `copyFrom` gives the stream to write the COPY's data to).
   */
  copyTransaction?<T>(work: (tx: Database, copyFrom: (statement: string) => Writable) => Promise<T>): Promise<T>;
  /**
   * Embedded database only: a consistent copy of its data folder (a gzipped tar, PGlite's dumpDataDir),
   * taken by the process that has it open, so while kloe serves; `kloe backup` puts it in the backup file.
   */
  dumpDataDir?(): Promise<Blob>;
  /**
   * PostgreSQL only: runs `work` while no other kloe process runs its own `exclusively` work (an advisory
   * lock), e.g. the first-start steps of several nodes starting together.
   */
  exclusively?<T>(work: () => Promise<T>): Promise<T>;
  /** Runs a trivial query; used by /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
