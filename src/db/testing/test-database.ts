/**
 * A fresh, migrated database per test file, on both drivers: PGlite in memory, loaded from the run's migrated
 * dump, and a throwaway database on the PostgreSQL server at TEST_DATABASE_URL (postgres-server.ts), copied
 * from the run's migrated template and dropped afterwards (migrated-databases.setup.ts makes both). A test
 * app's embedded database may be one an earlier file of the worker gave back, emptied (reusable-databases.ts).
 * Locally, PostgreSQL tests are skipped with a message when no server answers; in CI (CI=true) an unreachable
 * server fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, inject } from 'vitest';
import { IN_MEMORY, openDatabase } from '../client.js';
import type { DatabaseHandle } from '../database.js';
import { adminQuery, adminUrl, databaseUrl, isPostgresReachable } from './postgres-server.js';
import { reusableDatabases } from './reusable-databases.js';

export type Driver = 'pglite' | 'postgres';

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL, the connection string of the throwaway database (for child processes). */
  url: string | undefined;
}

/** The migrated database that migrated-databases.setup.ts dumped for this run, when the run has one. */
function migratedDump(): Blob | undefined {
  const file = inject('pgliteDump');
  return file ? new Blob([fs.readFileSync(file)]) : undefined;
}

/** This worker's emptied embedded databases, for the next file (reusable-databases.ts). */
const embeddedShelf = reusableDatabases<TestDatabase>();

/**
 * A migrated database of its own for the caller. With `reusable`, an embedded one may be one an earlier file
 * gave back, emptied, and closing it gives it back: for callers that close it only when they are done with it
 * (useTestApp), never for a test of a database that has gone away.
 */
export async function createTestDatabase(driver: Driver, options: { reusable?: boolean } = {}): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const kept = options.reusable ? embeddedShelf.take() : undefined;
    const database =
      kept ?? Object.assign(await openDatabase({ dataDir: IN_MEMORY, startFrom: migratedDump() }), { url: undefined });
    if (!kept) await embeddedShelf.note(database);
    return options.reusable ? { ...database, close: () => embeddedShelf.give(database) } : database;
  }
  const name = `kloe_test_${randomBytes(6).toString('hex')}`;
  // A copy of the run's migrated template, when the run has one (a project without the global setup migrates).
  const template = inject('postgresTemplate');
  await adminQuery(`create database ${name}${template ? ` template ${template}` : ''}`);
  const url = databaseUrl(name);
  const handle = await openDatabase({ databaseUrl: url });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

const reachable = await isPostgresReachable();
/** Whether this run has a PostgreSQL server to test against (for suites that need nothing else). */
export const postgresAvailable = reachable;
if (!reachable && process.env.CI) {
  throw new Error(`PostgreSQL is not reachable at ${new URL(adminUrl).host}; CI must run the PostgreSQL tests`);
}
if (!reachable) {
  console.warn(`PostgreSQL tests skipped: no server answers at ${new URL(adminUrl).host} (set TEST_DATABASE_URL)`);
}

/** Runs the same suite on each driver; `fn` receives the driver name. */
export function describeEachDatabase(name: string, fn: (driver: Driver) => void): void {
  describe(`${name} [pglite]`, () => fn('pglite'));
  describe.skipIf(!reachable)(`${name} [postgres]`, () => fn('postgres'));
}
