import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { auditLog } from '../audit/audit.tables.js';
import { createDemoService } from '../demo/demo.service.js';
import { organisationsDemo } from './organisations.demo.js';
import { ASHDOWN_CODE } from './organisations.demo-data.js';
import { organisations, services } from './organisations.tables.js';

describeEachDatabase('organisations demo part', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => database?.close());

  const count = async (table: typeof organisations | typeof services) =>
    (await database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table))[0]!.n;

  it('adds the demo organisations and services once, however often it runs, each creation audited', async () => {
    const demo = createDemoService({ db: database.db, parts: [organisationsDemo], production: false });
    expect(await demo.load()).toEqual({ organisations: '30 organisations, 5 services' });
    expect(await demo.load()).toEqual({ organisations: '0 organisations, 0 services' });
    expect(await count(organisations)).toBe(30);
    expect(await count(services)).toBe(5);

    const byType = await database.db
      .select({ type: organisations.type, n: sql<number>`count(*)`.mapWith(Number) })
      .from(organisations)
      .groupBy(organisations.type)
      .orderBy(asc(organisations.type));
    expect(byType).toEqual([
      { type: 'council', n: 24 },
      { type: 'housing_provider', n: 6 },
    ]);

    const [ashdown] = await database.db.select().from(organisations).where(eq(organisations.code, ASHDOWN_CODE));
    expect(ashdown).toMatchObject({ name: 'Ashdown District Council', region: 'South East' });
    expect(Object.keys(ashdown!.attributes).sort()).toEqual(['deprivationScore', 'population', 'stockSize']);
    const ashdownServices = await database.db
      .select({ name: services.name })
      .from(services)
      .where(eq(services.organisationId, ashdown!.id))
      .orderBy(asc(services.name));
    expect(ashdownServices.map((s) => s.name)).toEqual([
      'Homelessness and housing advice',
      'Housing repairs',
      'Waste collection',
    ]);

    const entries = await database.db
      .select({ action: auditLog.action, actorLabel: auditLog.actorLabel })
      .from(auditLog)
      .where(sql`${auditLog.action} in ('organisation.created', 'service.created')`);
    expect(entries).toHaveLength(35);
    expect(new Set(entries.map((e) => e.actorLabel))).toEqual(new Set(['system (demo data)']));
  });

  it('puts back what was removed and nothing else', async () => {
    await database.db.delete(services).where(eq(services.name, 'Waste collection'));
    const demo = createDemoService({ db: database.db, parts: [organisationsDemo], production: false });
    expect(await demo.load()).toEqual({ organisations: '0 organisations, 1 services' });
  });
});
