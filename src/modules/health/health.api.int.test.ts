import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openDatabase } from '../../db/client.js';
import type { DatabaseHandle } from '../../db/database.js';
import {
  createTestDatabase,
  describeEachDatabase,
  type Driver,
  type TestDatabase,
} from '../../db/testing/test-database.js';
import { prepareDatabase } from '../../startup.js';
import { testConfig } from '../../testing/test-config.js';

/** The same database, refusing writes as a full or read-only server does (PostgreSQL: a new pool sees it). */
async function refusingWrites(driver: Driver, database: TestDatabase): Promise<DatabaseHandle> {
  if (driver === 'pglite') {
    await database.db.execute(sql`set default_transaction_read_only = on`);
    return database;
  }
  await database.db.execute(
    sql`do $$ begin execute format('alter database %I set default_transaction_read_only = on', current_database()); end $$`,
  );
  return openDatabase({ databaseUrl: database.url, migrate: false });
}

describeEachDatabase('/health storage', (driver) => {
  const folder = path.join(inject('runFolder'), `health-${driver}-${process.pid}`);
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await prepareDatabase(database, testConfig());
  });
  afterAll(() => database.close());

  async function health(options: { evidenceDir?: string; database?: DatabaseHandle } = {}) {
    const config = testConfig({ evidence: { ...testConfig().evidence, dir: options.evidenceDir ?? folder } });
    const app = await buildApp({ config, database: options.database ?? database, logger: false });
    try {
      const res = await app.inject({ url: '/health' });
      return { status: res.statusCode, body: res.json() };
    } finally {
      await app.close();
    }
  }

  it('reports free space and that both stores can write', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.storage).toMatchObject({ status: 'ok', database: { writable: true }, evidence: { writable: true } });
    expect(body.storage.evidence.freeBytes).toBeGreaterThan(0);
  });

  it('answers 503 when the evidence folder cannot be written', async () => {
    const file = path.join(folder, 'a-file');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, '');
    const { status, body } = await health({ evidenceDir: path.join(file, 'evidence') });
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'unavailable',
      storage: {
        status: 'unavailable',
        evidence: { writable: false, problem: 'ENOTDIR' },
        database: { writable: true },
      },
    });
  });

  it('answers 503 when the database answers but refuses to write', async () => {
    const readOnly = await refusingWrites(driver, database);
    try {
      const { status, body } = await health({ database: readOnly });
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'unavailable',
        database: { status: 'ok' },
        storage: { status: 'unavailable', database: { writable: false, problem: 'write refused' } },
      });
    } finally {
      if (readOnly === database) await database.db.execute(sql`set default_transaction_read_only = off`);
      else await readOnly.close();
    }
  });
});
