/**
 * Test apps start from the run's migrated database with the built-in frameworks and no demo data, so that a
 * file pays for the records it makes and nothing else; a test of the demo asks for it.
 */
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing/test-database.js';
import { demoLoads } from '../modules/demo/demo.tables.js';
import { frameworks } from '../modules/frameworks/frameworks.tables.js';
import { organisations } from '../modules/organisations/organisations.tables.js';
import { useTestApp } from './test-app.js';

describeEachDatabase('test app', (driver) => {
  describe('by default', () => {
    const t = useTestApp(driver);

    it('has the built-in framework and no demo data', async () => {
      const builtins = await t.database.db.select({ id: frameworks.id }).from(frameworks);
      expect(builtins.map((f) => f.id)).toContain('audit-commission-j2');
      const [loads] = await t.database.db.select({ n: count() }).from(demoLoads);
      const [orgs] = await t.database.db.select({ n: count() }).from(organisations);
      expect([loads!.n, orgs!.n]).toEqual([0, 0]);
    });
  });

  describe('with the demo asked for', () => {
    const t = useTestApp(driver, {}, { demo: true });

    it('has the demo data, as a first start outside production', async () => {
      const [loads] = await t.database.db.select({ n: count() }).from(demoLoads);
      expect(loads!.n).toBe(1);
    });
  });
});
