/**
 * Each PostgreSQL test database is a copy of the run's migrated template (CREATE DATABASE … TEMPLATE), so a
 * file does not run the migrations again; the copy is dropped when the file closes it.
 */
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { migrationsFolder } from '../../paths.js';
import { adminUrl } from './postgres-server.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './test-database.js';

async function databaseNames(): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>('select datname from pg_database')).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

describeEachDatabase('test database', (driver) => {
  it('starts migrated, from the run’s migrated database', async () => {
    const database = await createTestDatabase(driver);
    try {
      const migrations = fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
      // Both drivers answer execute() with the rows under `rows`.
      const applied = (await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as {
        rows: unknown[];
      };
      expect(applied.rows).toEqual([{ n: migrations.length }]);
      if (driver === 'postgres') {
        const names = await databaseNames();
        expect(inject('postgresTemplate')).toMatch(/^kloe_template_/);
        expect(names).toContain(inject('postgresTemplate'));
      }
    } finally {
      await database.close();
    }
    if (driver === 'postgres') expect(await databaseNames()).not.toContain(new URL(database.url!).pathname.slice(1));
  });
});

describeEachDatabase('a reusable test database', (driver) => {
  it('comes back as migrated: no rows of the file before, the migrations’ own rows as they were', async () => {
    const first = await createTestDatabase(driver, { reusable: true });
    const settings = async (database: TestDatabase) =>
      (await database.db.execute(sql`select * from indicator_settings`)) as unknown as { rows: unknown[] };
    const migrated = (await settings(first)).rows;
    expect(migrated).toHaveLength(1);
    await first.db.execute(sql`insert into organisations (name, code, type) values ('Left behind', 'LB1', 'council')`);
    await first.db.execute(sql`update indicator_settings set trend_window = 5`);
    await first.close();
    const next = await createTestDatabase(driver, { reusable: true });
    try {
      const organisations = (await next.db.execute(sql`select count(*)::int as n from organisations`)) as unknown as {
        rows: unknown[];
      };
      // PGlite's is the very database given back (a new one costs a load of the dump); PostgreSQL's is new.
      if (driver === 'pglite') expect(next.db).toBe(first.db);
      expect(organisations.rows).toEqual([{ n: 0 }]);
      expect((await settings(next)).rows).toEqual(migrated);
    } finally {
      await next.close();
    }
  });

  it('is not handed on once a test has changed its tables', async () => {
    const changed = await createTestDatabase(driver, { reusable: true });
    await changed.db.execute(sql`alter table organisations add column left_behind text`);
    await changed.close();
    const next = await createTestDatabase(driver, { reusable: true });
    try {
      const columns = (await next.db.execute(
        sql`select count(*)::int as n from information_schema.columns where column_name = 'left_behind'`,
      )) as unknown as { rows: unknown[] };
      expect(next.db).not.toBe(changed.db);
      expect(columns.rows).toEqual([{ n: 0 }]);
    } finally {
      await next.close();
    }
  });
});
