import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../db/testing/test-database.js';
import { prepareDatabase } from '../startup.js';
import { submitForm } from '../testing/forms.js';
import { testConfig } from '../testing/test-config.js';

describeEachDatabase('rate limits shared through the database', (driver) => {
  let database: TestDatabase;
  const apps: App[] = [];
  const config = testConfig({ signInAttemptsPerMinute: 3 });
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await prepareDatabase(database, config, { demo: false });
    // Two nodes behind one load balancer: each its own app, one database.
    for (let i = 0; i < 2; i++) apps.push(await buildApp({ config, database, logger: false }));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.close();
  });

  const attempt = (app: App) =>
    submitForm(app, { page: '/sign-in', fields: { email: 'x@example.test', password: 'nope nope nope' } });

  it('counts the attempts made on either node against one limit', async () => {
    const [a, b] = apps as [App, App];
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await attempt(app)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt(a);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('starts a new window once the last has ended, and keeps no address in the clear', async () => {
    await database.db.execute(sql`update rate_limit_counters set resets_at = now() - interval '1 second'`);
    expect((await attempt(apps[1]!)).statusCode).toBe(401);
    const { rows } = (await database.db.execute(sql`select key, hits from rate_limit_counters`)) as unknown as {
      rows: { key: string; hits: number }[];
    };
    expect(rows.some((r) => r.hits === 1)).toBe(true);
    for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/);
  });
});
