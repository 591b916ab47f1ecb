import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './db/testing/test-database.js';
import { prepareDatabase } from './startup.js';

describeEachDatabase('starting on a new database', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.close());

  it('loads no demo data with KLOE_DEMO=off, even outside production', async () => {
    const report = await prepareDatabase(database, {
      env: 'development',
      admin: undefined,
      baseUrl: 'http://localhost:3000',
      demo: 'off',
    });
    expect(report.demo).toBeUndefined();
    expect(report.frameworks.length).toBeGreaterThan(0);
  });
});
