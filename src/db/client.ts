/**
 * One schema, two drivers: embedded PGlite in a data folder by default, PostgreSQL when a
 * DATABASE_URL is given. Both are opened, checked and migrated here, so callers get a working
 * database or a one-line DatabaseUnavailableError.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { installJobSchema } from '../modules/jobs/index.js';
import { migrationsFolder } from '../paths.js';
import { lockDataDir } from './data-dir-lock.js';
import { DatabaseUnavailableError, type Database, type DatabaseHandle } from './database.js';
import * as schema from './schema.js';

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; ignored when databaseUrl is set. */
  dataDir?: string;
  /** Apply pending migrations before returning (the default). */
  migrate?: boolean;
  /**
   * An embedded database that does not exist yet starts as a copy of this dumped data folder (PGlite's
   * dumpDataDir) instead of a new cluster: tests start each file's in-memory database from one migrated
   * dump, much sooner, and `kloe restore` makes a data folder from a backup.
   */
  startFrom?: Blob;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(options.dataDir ?? './data', options.startFrom);
  if (options.migrate !== false) {
    try {
      await handle.migrate();
    } catch (error) {
      await handle.close();
      // Drizzle's "Failed query: …" keeps the server's (or the connection's) reason in its cause.
      const cause = (error as Error).cause;
      const reason = cause instanceof Error ? ` (${cause.message})` : '';
      throw new DatabaseUnavailableError(`Could not migrate the database: ${(error as Error).message}${reason}`);
    }
  }
  return handle;
}

type OpenedHandle = DatabaseHandle & { migrate(): Promise<void> };

/** Passed as dataDir, keeps the embedded database in memory (tests): nothing on disk, nothing to lock. */
export const IN_MEMORY = 'memory://';

async function openPglite(dataDir: string, startFrom: Blob | undefined): Promise<OpenedHandle> {
  const inMemory = dataDir === IN_MEMORY;
  const pgdata = inMemory ? IN_MEMORY : path.join(path.resolve(dataDir), 'pgdata');
  const lock = inMemory ? { release() {} } : lockDataDir(path.resolve(dataDir));
  let client: PGlite;
  try {
    client = await PGlite.create(pgdata, startFrom ? { loadDataDir: startFrom } : {});
  } catch (error) {
    lock.release();
    throw new DatabaseUnavailableError(
      `Could not open the embedded database in ${pgdata}: ${(error as Error).message}`,
    );
  }
  const db = drizzlePglite({ client, schema });
  let closed = false;
  return {
    db: db as unknown as Database,
    driver: 'pglite',
    location: pgdata,
    ...(inMemory ? {} : { dataFolder: pgdata }),
    async dumpDataDir() {
      // Inside a transaction of its own, so that no other is half-way through while the folder is copied; the
      // checkpoint writes every committed change into the data files, so the copy starts without recovery.
      return client.transaction(async (tx) => {
        await tx.exec('CHECKPOINT');
        return client.dumpDataDir('gzip');
      });
    },
    async ping() {
      await client.query('select 1');
    },
    async migrate() {
      await migratePglite(db, { migrationsFolder });
      await installJobSchema({ query: (text) => client.query(text), exec: (text) => client.exec(text) });
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      lock.release();
    },
  };
}

/** Host, port and database of a connection string, never its password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `postgres://${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

/** Arbitrary constants naming kloe's migration and start-up locks among PostgreSQL advisory locks. */
const MIGRATION_LOCK_KEY = 4_250_217;
const STARTUP_LOCK_KEY = 4_250_219; // 4_250_218 is the audit chain’s (audit.recorder.ts)

async function openPostgres(databaseUrl: string): Promise<OpenedHandle> {
  const location = describeDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(`Cannot reach PostgreSQL at ${location}: ${(error as Error).message}`);
  }
  const db = drizzlePostgres({ client: pool, schema });
  let closed = false;
  return {
    db: db as unknown as Database,
    driver: 'postgres',
    location,
    async ping() {
      await pool.query('select 1');
    },
    async copyTransaction(work) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        const session = drizzlePostgres({ client, schema }) as unknown as Database;
        return await session.transaction((tx) => work(tx, (statement) => client.query(copyFromStdin(statement))));
      } catch (error) {
        failure = error as Error;
        throw error;
      } finally {
        // A connection that failed mid-COPY may be in any state: the pool discards it rather than reuse it.
        client.release(failure);
      }
    },
    async exclusively(work) {
      const session = await pool.connect();
      try {
        await session.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
        return await work();
      } finally {
        await session.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => {});
        session.release();
      }
    },
    async migrate() {
      // Several kloe processes may start together behind a load balancer: one migrates, the others wait.
      const session = await pool.connect();
      try {
        await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePostgres(db, { migrationsFolder });
        await installJobSchema({ query: (text) => session.query(text), exec: (text) => session.query(text) });
      } finally {
        await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        session.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
