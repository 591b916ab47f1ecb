import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { auditLog } from '../audit/audit.tables.js';
import { ROWS_PER_BATCH } from './import-file.js';
import { importIndicatorFile, ImportRefusedError } from './indicators.import.js';
import { positionsIn } from './indicators.repository.js';
import { indicatorPeriodStats, indicatorTrends, indicatorValues } from './indicators.tables.js';
import { directionOfTravel, quartilePosition, quartiles, ranks, score } from './statistics.js';
import {
  createNumberedOrganisations,
  financialYear,
  IMPORTABLE_YEARS,
  seedSmallSet,
} from './testing/small-national-set.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const YEARS = ['2020/21', '2021/22', '2022/23', '2023/24'];
// Satisfaction (%) of O1…O5 over four years; O5 has no 2021/22 value.
const SAT = [
  [70, 72, 75, 78],
  [80, 80, 79, 80.5],
  [60, 58, 55, 52],
  [90, 91, 89, 95],
  [75, null, 76, 74],
];
const COST = [
  [120, 118, 110, 100],
  [95, 96, 99, 104],
  [130, 129.5, 130, 129],
  [80, 82, 85, 90],
  [100, 101, 100, 102],
];

function csv(prefix: string, lines: string[] = []): Buffer {
  const rows = ['organisation_code,indicator_code,period,value,quality'];
  for (const [code, table] of [
    ['SAT', SAT],
    ['COST', COST],
  ] as const)
    table.forEach((values, o) =>
      values.forEach((v, y) => {
        if (v !== null) rows.push(`${prefix}-O${o + 1},${prefix}-${code},${YEARS[y]},${v},`);
      }),
    );
  return Buffer.from([...rows, ...lines].join('\r\n'));
}

describeEachDatabase('indicator import and recompute', (driver) => {
  let database: TestDatabase;
  let set: Awaited<ReturnType<typeof seedSmallSet>>;
  const prefix = 'IMP';
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    set = await seedSmallSet(database.db, prefix);
  });
  afterAll(() => database.close());

  it('imports every row, then recomputes figures that agree with statistics.ts', async () => {
    const outcome = await importIndicatorFile(database, csv(prefix), SYSTEM);
    expect(outcome).toMatchObject({ rows: 39, added: 39, changed: 0, unchanged: 0 });
    expect(outcome.recompute).toMatchObject({ indicators: 2, window: 3 });

    const stats = await database.db
      .select()
      .from(indicatorPeriodStats)
      .where(eq(indicatorPeriodStats.indicatorId, set.satisfaction.id));
    const first = stats.find((s) => s.periodIndex === 2020)!;
    // 60 70 75 80 90 → percentile_cont: 70, 75, 80.
    expect(first).toMatchObject({ count: 5, q1: 70, median: 75, q3: 80 });
    expect(stats.find((s) => s.periodIndex === 2021)!.count).toBe(4);

    for (const [indicator, table] of [
      [set.satisfaction, SAT],
      [set.cost, COST],
    ] as const) {
      const positions = positionsIn(
        await database.db.select().from(indicatorTrends).where(eq(indicatorTrends.indicatorId, indicator.id)),
      );
      // The window is the latest three periods: 2021/22 to 2023/24.
      expect(new Set(positions.map((p) => p.periodIndex))).toEqual(new Set([2021, 2022, 2023]));
      for (const year of [1, 2, 3]) {
        const present = table.map((v, o) => ({ o, v: v[year] })).filter((x) => x.v !== null);
        const scores = present.map((x) => score(x.v!, indicator));
        const expectedRanks = ranks(scores);
        const q = quartiles(scores);
        present.forEach((x, i) => {
          const row = positions.find((p) => p.organisationId === set.orgs[x.o]!.id && p.periodIndex === 2020 + year)!;
          expect(row).toMatchObject({
            rank: expectedRanks[i],
            count: present.length,
            quartile: quartilePosition(scores[i]!, q),
          });
        });
      }
      const trends = await database.db
        .select()
        .from(indicatorTrends)
        .where(eq(indicatorTrends.indicatorId, indicator.id));
      table.forEach((values, o) => {
        const points = values
          .map((y, i) => ({ x: 2020 + i, y }))
          .filter((p): p is { x: number; y: number } => p.y !== null && p.x >= 2021);
        const expected = directionOfTravel(points, indicator);
        const row = trends.find((t) => t.organisationId === set.orgs[o]!.id)!;
        expect(row.direction).toBe(expected.direction);
        expect(row.slope).toBeCloseTo(expected.slope!, 9);
        expect(row.points).toBe(expected.points);
      });
    }
    // Hand-checked: O1's satisfaction 72, 75, 78 is improving; O3's cost 129.5, 130, 129 is stable.
    const trend = async (o: number, indicatorId: string) =>
      (
        await database.db
          .select()
          .from(indicatorTrends)
          .where(sql`${indicatorTrends.organisationId} = ${set.orgs[o]!.id} and indicator_id = ${indicatorId}`)
      )[0]!.direction;
    expect(await trend(0, set.satisfaction.id)).toBe('improving');
    expect(await trend(2, set.cost.id)).toBe('stable');
    expect(await trend(0, set.cost.id)).toBe('improving');
    expect(await trend(3, set.cost.id)).toBe('declining');
  });

  it('changes nothing when the same file comes again', async () => {
    const outcome = await importIndicatorFile(database, csv(prefix), SYSTEM);
    expect(outcome).toMatchObject({ added: 0, changed: 0, unchanged: 39, recompute: undefined });
  });

  it('replaces a corrected value and audits the change', async () => {
    const corrected = csv(prefix)
      .toString()
      .replace(`${prefix}-O1,${prefix}-SAT,2023/24,78,`, `${prefix}-O1,${prefix}-SAT,2023/24,77.5,estimated`);
    const outcome = await importIndicatorFile(database, Buffer.from(corrected), SYSTEM);
    expect(outcome).toMatchObject({ added: 0, changed: 1, unchanged: 38 });
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'indicator.values_changed' and ${auditLog.entityId} = ${set.satisfaction.id}`);
    expect(entry!.before).toEqual([{ organisation: `${prefix}-O1`, period: '2023/24', value: 78, quality: null }]);
    expect(entry!.after).toEqual([
      { organisation: `${prefix}-O1`, period: '2023/24', value: 77.5, quality: 'estimated' },
    ]);
  });

  it('reports every bad row by line and reason, and imports nothing from a file with one', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues);
    const bad = [
      `NOPE,${prefix}-SAT,2023/24,50,`, // line 41: unknown organisation
      `${prefix}-O1,NOPE,2023/24,50,`, // 42: unknown indicator
      `${prefix}-O2,${prefix}-SAT,2025/26,fifty,`, // 43: not a number
      `${prefix}-O5,${prefix}-SAT,2024/25,"12,5",`, // 44: comma decimal in a comma file
      `${prefix}-O2,${prefix}-SAT,2024,50,`, // 45: period in the wrong form
      `${prefix}-O2,${prefix}-SAT,2024/25,50,`, // 46: fine on its own…
      `${prefix}-O2,${prefix}-SAT,2024/2025,51,`, // 47: …so this is its duplicate
      `${prefix}-O3,${prefix}-SAT,2024/25,50,excellent`, // 48: unknown quality
      `${prefix}-O4,${prefix}-SAT,2024/25,,`, // 49: missing value
    ];
    const error = await importIndicatorFile(database, csv(prefix, bad), SYSTEM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefusedError);
    const problems = (error as ImportRefusedError).problems;
    expect(problems.map((p) => p.field)).toEqual([41, 42, 43, 44, 45, 47, 48, 49].map((n) => `line ${n}`));
    expect(problems.map((p) => p.message)).toEqual([
      'No organisation has the code "NOPE"',
      'No indicator has the code "NOPE"',
      'The value "fifty" is not a number',
      'The value "12,5" has a comma: use a full stop for decimals (12.5) and no thousands separators',
      'The period "2024" is not in the form of this indicator’s periods, like 2023/24',
      'A duplicate of line 46 (same organisation, indicator and period)',
      'The quality "excellent" is not one of estimated, provisional, not collected',
      'The value is missing (leave it empty only when not collected)',
    ]);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues);
    expect(after).toEqual(before);
  });

  it('leaves nothing when only the last row is bad', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues);
    const lines = [`${prefix}-O1,${prefix}-SAT,2024/25,81,`, `${prefix}-O1,${prefix}-SAT,2025/26,n/a,`];
    await expect(importIndicatorFile(database, csv(prefix, lines), SYSTEM)).rejects.toThrow(
      '1 row has a problem; nothing was imported',
    );
    expect(await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues)).toEqual(before);
  });

  it('leaves nothing when the bad row comes after whole batches have gone to the database', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues);
    const lines: string[] = [];
    // Organisations enough for one and a half batches of rows over the years an import accepts.
    const many = Math.ceil((ROWS_PER_BATCH * 1.5) / (2 * IMPORTABLE_YEARS.length));
    await createNumberedOrganisations(database.db, `${prefix}-MANY`, 1, many);
    for (const year of IMPORTABLE_YEARS)
      for (let o = 1; o <= many; o++)
        for (const code of ['SAT', 'COST'])
          lines.push(`${prefix}-MANY-O${o},${prefix}-${code},${financialYear(year)},50,`);
    lines.push(`${prefix}-O1,${prefix}-SAT,2019/20,n/a,`);
    const error = await importIndicatorFile(database, csv(prefix, lines), SYSTEM).catch((e: unknown) => e);
    expect((error as ImportRefusedError).problems).toEqual([
      { field: `line ${lines.length + 40}`, message: 'The value "n/a" is not a number' },
    ]);
    expect(await database.db.select({ n: sql<number>`count(*)::int` }).from(indicatorValues)).toEqual(before);
  });

  it('reads Excel’s semicolon CSV with comma decimals, a byte-order mark and blank lines', async () => {
    const text = `\uFEFForganisation_code;indicator_code;period;value;quality\r\n${prefix}-O1;${prefix}-COST;2024/25;98,5;provisional\r\n;;;;\r\n\r\n`;
    const outcome = await importIndicatorFile(database, Buffer.from(text), SYSTEM);
    expect(outcome).toMatchObject({ rows: 1, added: 1 });
    const [row] = await database.db
      .select()
      .from(indicatorValues)
      .where(sql`${indicatorValues.indicatorId} = ${set.cost.id} and period_index = 2024`);
    expect(row).toMatchObject({ value: 98.5, quality: 'provisional', period: '2024/25' });
  });

  it('refuses a file that is not UTF-8 or lacks the columns, in one sentence', async () => {
    await expect(importIndicatorFile(database, Buffer.from([0x6f, 0x72, 0x67, 0xe9, 0x0a]), SYSTEM)).rejects.toThrow(
      /not UTF-8/,
    );
    await expect(importIndicatorFile(database, Buffer.from('code,value\nA,1\n'), SYSTEM)).rejects.toThrow(
      /missing: organisation, indicator, period/,
    );
  });
});
