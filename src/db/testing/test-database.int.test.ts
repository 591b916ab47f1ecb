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
import { createTestDatabase, describeEachDatabase } from './test-database.js';

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
