import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { ROWS_PER_BATCH } from './import-file.js';
import { withIndexesRebuilt } from './import-merge.js';
import { importIndicatorFile, loadIndicatorFile } from './indicators.import.js';
import { indicatorValues } from './indicators.tables.js';
import {
  createNumberedOrganisations,
  financialYear,
  IMPORTABLE_YEARS,
  seedSmallSet,
} from './testing/small-national-set.js';

/** indicator_values' keys, constraints and indexes as the catalog defines them (a key and its index share a name). */
async function catalogOf(db: Database) {
  const { rows } = (await db.execute(sql`
    select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = 'indicator_values'::regclass
    union all
    select c.relname, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'indicator_values'::regclass
    order by 1, 2`)) as unknown as { rows: { name: string; definition: string }[] };
  return rows;
}

const SYSTEM = { kind: 'system', label: 'test' } as const;

const count = async (db: Database) => (await db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues))[0]!.n;

describeEachDatabase('loading values with the indexes set aside (the bulk import)', (driver) => {
  let database: TestDatabase;
  let set: Awaited<ReturnType<typeof seedSmallSet>>;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    set = await seedSmallSet(database.db, 'BULK');
  });
  afterAll(() => database.close());

  const value = (o: number, periodIndex: number) => ({
    indicatorId: set.satisfaction.id,
    organisationId: set.orgs[o]!.id,
    periodIndex,
    period: `${periodIndex}/${String((periodIndex + 1) % 100).padStart(2, '0')}`,
    value: 50 + o,
  });

  it('puts back exactly the keys and indexes it set aside, around the values added', async () => {
    const catalog = await catalogOf(database.db);
    expect(catalog.length).toBeGreaterThanOrEqual(6); // key, two foreign keys, check, two more indexes
    const before = await count(database.db);
    await database.db.transaction((tx) =>
      withIndexesRebuilt(tx, () => tx.insert(indicatorValues).values([0, 1, 2, 3, 4].map((o) => value(o, 2020)))),
    );
    expect(await count(database.db)).toBe(before + 5);
    expect(await catalogOf(database.db)).toEqual(catalog);
    // The keys work again: a second value for the same key, and one for no organisation, are refused.
    await expect(database.db.insert(indicatorValues).values(value(0, 2020))).rejects.toThrow();
    await expect(
      database.db
        .insert(indicatorValues)
        .values({ ...value(0, 2021), organisationId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toThrow();
  });

  it('keeps nothing when the values added break a key: putting the key back fails and all rolls back', async () => {
    const catalog = await catalogOf(database.db);
    const before = await count(database.db);
    await expect(
      database.db.transaction((tx) =>
        withIndexesRebuilt(tx, () => tx.insert(indicatorValues).values([value(1, 2022), value(1, 2022)])),
      ),
    ).rejects.toThrow();
    expect(await count(database.db)).toBe(before);
    expect(await catalogOf(database.db)).toEqual(catalog);
  });
});

/** Enough organisations that a row for each in each importable year fills one and a half batches of the reader. */
const ORGANISATIONS = Math.ceil((ROWS_PER_BATCH * 1.5) / IMPORTABLE_YEARS.length);

describeEachDatabase('a first import into an empty table', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedSmallSet(database.db, 'FIRST');
    await createNumberedOrganisations(database.db, 'FIRST', 6, ORGANISATIONS);
  });
  afterAll(() => database.close());

  /** Rows over several batches of the reader, so that some have reached the database before the last. */
  function file(last: string): Buffer {
    const lines = ['organisation_code,indicator_code,period,value'];
    for (const year of IMPORTABLE_YEARS)
      for (let o = 1; o <= ORGANISATIONS; o++) lines.push(`FIRST-O${o},FIRST-SAT,${financialYear(year)},${o % 100}`);
    return Buffer.from([...lines, last].join('\n'));
  }

  it('keeps nothing, and the table its keys, when the last row is bad', async () => {
    const catalog = await catalogOf(database.db);
    await expect(importIndicatorFile(database, file('FIRST-O1,FIRST-COST,2023/24,n/a'), SYSTEM)).rejects.toThrow(
      '1 row has a problem; nothing was imported',
    );
    expect(await count(database.db)).toBe(0);
    expect(await catalogOf(database.db)).toEqual(catalog);
  });

  it('loads every row, and leaves the table with its keys and indexes', async () => {
    const catalog = await catalogOf(database.db);
    // Loaded without the recompute that an import runs after, which would analyze the values itself.
    const outcome = await loadIndicatorFile(database, file('FIRST-O1,FIRST-COST,2023/24,51'), SYSTEM);
    expect(outcome.added).toBe(outcome.rows);
    expect(await count(database.db)).toBe(outcome.rows);
    expect(await catalogOf(database.db)).toEqual(catalog);
    if (driver === 'postgres') {
      // A bulk load leaves the planner statistics of what it loaded, for the recompute that follows.
      const { rows } = (await database.db.execute(
        sql`select count(*)::int as n from pg_stats where tablename = 'indicator_values'`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBeGreaterThan(0);
    }
    // Importing the same file again finds every value there already.
    expect(await importIndicatorFile(database, file('FIRST-O1,FIRST-COST,2023/24,51'), SYSTEM)).toMatchObject({
      added: 0,
      changed: 0,
    });
  });
});
