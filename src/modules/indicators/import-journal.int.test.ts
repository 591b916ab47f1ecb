/**
 * The site keeps answering while an import is written, and the import stays all or nothing: another
 * request is answered before the import has finished writing, called directly or uploaded to the API (on
 * PGlite its one connection used to hold every request until the import's transaction ended), and a bad
 * row near the end leaves neither values nor staged rows.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { importIndicatorFile, ImportRefusedError, type ImportStage } from './indicators.import.js';
import { indicatorImportRows, indicatorImports, indicatorValues } from './indicators.tables.js';
import {
  createNumberedOrganisations,
  financialYear,
  IMPORTABLE_YEARS,
  seedSmallSet,
} from './testing/small-national-set.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
/** Organisations enough for a file of some thousands of rows (× 2 indicators × 38 years). */
const ORGANISATIONS = 80;

describeEachDatabase('an import beside other requests', (driver) => {
  const t = useTestApp(driver);
  const prefix = 'JRN';
  let inspector: TestUser;

  const count = async (table: typeof indicatorValues | typeof indicatorImportRows | typeof indicatorImports) =>
    (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

  /** Every organisation × both indicators × every importable year, `value` for each; `extra` lines after. */
  const fileOf = (value: (o: number, year: number) => string, extra: string[] = []) => {
    const lines = ['organisation_code,indicator_code,period,value,quality'];
    for (const code of ['SAT', 'COST'])
      for (let o = 1; o <= ORGANISATIONS; o++)
        for (const year of IMPORTABLE_YEARS)
          lines.push(`${prefix}-MANY-O${o},${prefix}-${code},${financialYear(year)},${value(o, year)},`);
    return Buffer.from([...lines, ...extra].join('\n'));
  };
  const rows = 2 * ORGANISATIONS * IMPORTABLE_YEARS.length;

  beforeAll(async () => {
    await seedSmallSet(t.database.db, prefix);
    await createNumberedOrganisations(t.database.db, `${prefix}-MANY`, 1, ORGANISATIONS);
    inspector = await createTestUser(t.database.db, 'inspector');
  });

  // PGlite only: on PostgreSQL the import has a connection of its own and other requests use others (its
  // import can be over before a request is answered: nothing would be proved).
  it.runIf(driver === 'pglite')('answers another request while an import is still being written', async () => {
    const progress: string[] = [];
    let answered: Promise<{ status: number; progressBefore: number }> | undefined;
    const outcome = await importIndicatorFile(
      t.database,
      fileOf((o, year) => String(o + (year % 7))),
      SYSTEM,
      {
        progress: (stage: ImportStage, done: number, total: number) => {
          progress.push(`${stage} ${done}/${total}`);
          // Asked for once the first rows are checked (and going to the database): the answer must not
          // wait for the rest.
          answered ??= t.app
            .inject({ url: '/api/indicators', headers: inspector.headers })
            .then((res) => ({ status: res.statusCode, progressBefore: progress.length }));
        },
      },
    );
    expect(outcome).toMatchObject({ rows, added: rows, changed: 0 });
    const { status, progressBefore } = await answered!;
    expect(status).toBe(200);
    // The import went on checking or writing rows after the request was answered.
    const after = progress.slice(progressBefore);
    expect(after.some((p) => /^(checking|writing) /.test(p) && !p.startsWith('writing 0/'))).toBe(true);
    expect(await count(indicatorValues)).toBe(rows);
  });

  it('leaves no values and nothing staged when a bad row comes near the end', async () => {
    const before = await count(indicatorValues);
    let stagedOnTheWay = 0;
    const error = await importIndicatorFile(
      t.database,
      // Every value changed (to 90 or more; the first file's are below), then one bad row: none may stay.
      fileOf((o, year) => String(90 + ((o + year) % 10) / 10), [`${prefix}-O1,${prefix}-SAT,2019/20,n/a,`]),
      SYSTEM,
      {
        progress: (stage) => {
          if (stage !== 'checking' || stagedOnTheWay > 0) return;
          // Seen from the side, the rows checked so far are staged (PGlite) or in the COPY (PostgreSQL).
          void count(indicatorImportRows).then((n) => (stagedOnTheWay = n));
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as ImportRefusedError).problems).toEqual([
      { field: `line ${rows + 2}`, message: 'The value "n/a" is not a number' },
    ]);
    if (driver === 'pglite') expect(stagedOnTheWay).toBeGreaterThan(0);
    expect(await count(indicatorValues)).toBe(before);
    expect(
      await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(indicatorValues)
        .where(sql`value >= 90`),
    ).toEqual([{ n: 0 }]);
    expect(await count(indicatorImportRows)).toBe(0);
    expect(await count(indicatorImports)).toBe(0);
  });

  it.runIf(driver === 'pglite')('answers a page while a file sent to the API is being imported', async () => {
    const form = new FormData();
    form.append('file', new Blob([fileOf((o, year) => String(o + (year % 5)))], { type: 'text/csv' }), 'values.csv');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    let imported = false;
    const importing = t.app
      .inject({
        method: 'POST',
        url: '/api/indicators/import',
        payload: Buffer.from(await request.arrayBuffer()),
        headers: { ...inspector.headers, 'content-type': request.headers.get('content-type')! },
      })
      .then((res) => {
        imported = true;
        return res;
      });
    // The import is open in the journal from its first write until its last.
    while (!imported && (await count(indicatorImports)) === 0) await new Promise((resolve) => setImmediate(resolve));
    const page = await t.app.inject({ url: '/indicators', headers: { ...inspector.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(imported).toBe(false);
    expect(await count(indicatorImports)).toBe(1);
    expect((await importing).json()).toMatchObject({ rows, changed: expect.any(Number) });
    expect(await count(indicatorImports)).toBe(0);
  });
});
