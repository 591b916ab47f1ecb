/**
 * A fresh, migrated database per test file, on both drivers: PGlite in memory, and a throwaway
 * database on the PostgreSQL server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped afterwards. Locally, PostgreSQL tests are skipped with a message when no server answers;
 * in CI (CI=true) an unreachable server fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { IN_MEMORY, openDatabase } from '../client.js';
import type { DatabaseHandle } from '../database.js';

export type Driver = 'pglite' | 'postgres';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let postgresReachable: Promise<boolean> | undefined;
function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  return postgresReachable;
}

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL, the connection string of the throwaway database (for child processes). */
  url: string | undefined;
}

/** The migrated database that pglite-dump.setup.ts dumped for this run, when the run has one. */
function migratedDump(): Blob | undefined {
  const file = inject('pgliteDump');
  return file ? new Blob([fs.readFileSync(file)]) : undefined;
}

export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    return Object.assign(await openDatabase({ dataDir: IN_MEMORY, startFrom: migratedDump() }), { url: undefined });
  }
  const name = `kloe_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString() });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
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
