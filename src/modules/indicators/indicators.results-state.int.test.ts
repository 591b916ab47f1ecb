/**
 * The results stay right whatever happens around them: one stored trend window for every recompute,
 * results behind their values found after a crash, a series the arithmetic cannot carry failing alone,
 * and one organisation's outlying period not moving everyone's window.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { auditLog } from '../audit/audit.tables.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { importIndicatorFile, writeValues } from './indicators.import.js';
import { countBehind, insertIndicator, trendsOf, windowPeriodStats } from './indicators.repository.js';
import { recompute, recomputeBehind, setTrendWindow, trendWindow } from './indicators.recompute.js';
import { indicatorDefinitions, indicatorTrends, indicatorValues } from './indicators.tables.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const YEARS = [2019, 2020, 2021, 2022, 2023];

describeEachDatabase('indicator results and what they were computed from', (driver) => {
  let database: TestDatabase;
  const orgs: { id: string; code: string }[] = [];
  let n = 0;

  /** A new calendar-year indicator whose organisations' values rise by a step each year from a base. */
  async function indicatorWithValues(values: (org: number, year: number) => number | null = (o, y) => 10 + o + y) {
    const indicator = await insertIndicator(database.db, {
      code: `RS-${++n}`,
      title: `Indicator ${n}`,
      unit: 'n',
      polarity: 'higher',
      category: 'performance',
      serviceArea: 'Tests',
      periodType: 'calendar_year',
    });
    const rows = orgs.flatMap((org, o) =>
      YEARS.flatMap((year, y) => {
        const value = values(o, y);
        return value === null
          ? []
          : [{ indicatorId: indicator.id, organisationId: org.id, periodIndex: year, period: String(year), value }];
      }),
    );
    await database.db.insert(indicatorValues).values(rows);
    return indicator;
  }

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    for (let o = 0; o < 4; o++) orgs.push(await createTestOrganisation(database.db, { code: `RS-O${o + 1}` }));
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await database.db.delete(indicatorDefinitions);
    await setTrendWindow(database.db, 3, SYSTEM);
  });

  it('recomputes every indicator with the stored window, also after a later import brings a new one', async () => {
    const first = await indicatorWithValues();
    expect(await setTrendWindow(database.db, 5, SYSTEM)).toBe(true);
    await recompute(database);
    // A later import of a new indicator: its recompute uses the stored window, not a default.
    const later = await insertIndicator(database.db, {
      code: 'RS-LATER',
      title: 'Later',
      unit: 'n',
      polarity: 'higher',
      category: 'performance',
      serviceArea: 'Tests',
      periodType: 'calendar_year',
    });
    const file = orgs.flatMap((org) => YEARS.map((year, y) => `${org.code},RS-LATER,${year},${50 - y}`));
    const outcome = await importIndicatorFile(
      database,
      Buffer.from(['organisation_code,indicator_code,period,value', ...file].join('\n')),
      SYSTEM,
    );
    expect(outcome.recompute).toMatchObject({ window: 5, failed: [] });
    const trends = await trendsOf(
      database.db,
      orgs.map((o) => o.id),
      5,
    );
    for (const id of [first.id, later.id])
      for (const row of trends.filter((t) => t.indicatorId === id)) expect(row.periods).toEqual(YEARS);
    expect(trends.filter((t) => t.indicatorId === later.id).every((t) => t.direction === 'declining')).toBe(true);
    const windows = await database.db
      .selectDistinct({ window: indicatorDefinitions.resultsWindow })
      .from(indicatorDefinitions);
    expect(windows).toEqual([{ window: 5 }]);
  });

  it('audits a change of window and shows no results of another window until they are recomputed', async () => {
    const indicator = await indicatorWithValues();
    await recompute(database);
    expect(await setTrendWindow(database.db, 4, SYSTEM)).toBe(true);
    expect(await setTrendWindow(database.db, 4, SYSTEM)).toBe(false);
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'indicators.window_changed'))
      .orderBy(sql`${auditLog.id} desc`)
      .limit(1);
    expect(entry).toMatchObject({ before: { window: 3 }, after: { window: 4 } });
    // The 3-period results are still stored, but the analysis of a 4-period window reads none of them.
    expect(await trendWindow(database.db)).toBe(4);
    expect(await countBehind(database.db)).toBe(1);
    const ids = orgs.map((o) => o.id);
    expect(await trendsOf(database.db, ids, 4)).toEqual([]);
    expect(await windowPeriodStats(database.db, 4)).toEqual([]);
    await recomputeBehind(database);
    const trends = await trendsOf(database.db, ids, 4);
    expect(trends.filter((t) => t.indicatorId === indicator.id).map((t) => t.periods)).toEqual(
      orgs.map(() => YEARS.slice(1)),
    );
    expect((await windowPeriodStats(database.db, 4)).map((s) => s.periodIndex).sort()).toEqual(YEARS.slice(1));
  });

  it('finds results left behind by values committed without their recompute (a crash), and repairs them', async () => {
    const touched = await indicatorWithValues();
    const untouched = await indicatorWithValues();
    await recompute(database);
    expect(await recomputeBehind(database)).toBeUndefined();
    // An import commits new 2023 values, and the process dies before its recompute.
    await writeValues(
      database,
      [
        orgs.map((org) => ({
          indicatorId: touched.id,
          organisationId: org.id,
          periodIndex: 2023,
          period: '2023',
          value: 1,
          quality: null,
        })),
      ],
      SYSTEM,
    );
    expect(await countBehind(database.db)).toBe(1);
    const outcome = await recomputeBehind(database);
    expect(outcome).toMatchObject({ indicators: 1, failed: [] });
    const trends = await trendsOf(
      database.db,
      orgs.map((o) => o.id),
      3,
    );
    expect(trends.filter((t) => t.indicatorId === touched.id).every((t) => t.direction === 'declining')).toBe(true);
    expect(trends.filter((t) => t.indicatorId === untouched.id).every((t) => t.direction === 'improving')).toBe(true);
    expect(await countBehind(database.db)).toBe(0);
  });

  it('recomputes the other indicators when one series overflows, and leaves that one marked behind', async () => {
    const sound = await indicatorWithValues();
    const huge = await indicatorWithValues((o, y) => (y % 2 === 0 ? 1.7e308 : -1.7e308));
    const outcome = await recompute(database);
    expect(outcome.failed).toEqual([
      { indicatorId: huge.id, code: huge.code, message: expect.stringContaining('out of range') },
    ]);
    expect(outcome.indicators).toBe(1);
    const rows = await database.db.select().from(indicatorTrends).where(eq(indicatorTrends.indicatorId, sound.id));
    expect(rows).toHaveLength(orgs.length);
    expect(await countBehind(database.db)).toBe(1);
  });

  it("ends an indicator's window at its latest period most organisations report, not at one outlier", async () => {
    const indicator = await indicatorWithValues();
    // One organisation's typo year.
    await database.db.insert(indicatorValues).values({
      indicatorId: indicator.id,
      organisationId: orgs[0]!.id,
      periodIndex: 2205,
      period: '2205',
      value: 99,
    });
    await recompute(database);
    const trends = await trendsOf(
      database.db,
      orgs.map((o) => o.id),
      3,
    );
    expect(trends.map((t) => t.periods)).toEqual(orgs.map(() => [2021, 2022, 2023]));
    expect((await windowPeriodStats(database.db, 3)).map((s) => s.periodIndex).sort()).toEqual([2021, 2022, 2023]);
  });
});
