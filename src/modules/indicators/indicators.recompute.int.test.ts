import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { insertIndicator, positionsIn, trendsOf, type IndicatorRow } from './indicators.repository.js';
import { recompute, setTrendWindow } from './indicators.recompute.js';
import { indicatorPeriodStats, indicatorValues } from './indicators.tables.js';
import { directionOfTravel, quartilePosition, quartiles, ranks, score, type Polarity } from './statistics.js';

// Six organisations × five years (2019–2023); null is a year without a value. Chosen to reach the
// corners of the SQL: tied scores within a series and across organisations, a gap, a series of one
// point, an unchanged series, and for the target indicator values either side of the target.
const TABLES: Record<Polarity, (number | null)[][]> = {
  higher: [
    [50, 52, 52, 55, 60],
    [70, 70, 70, 70, 70],
    [40, null, 45, 44, 43],
    [60, 58, 52, 52, 50],
    [null, null, null, null, 65],
    [55, 55, 56, 55, 55.5],
  ],
  lower: [
    [10, 9.5, 9, 9, 8],
    [12, 12, 13, 14, 16],
    [8, 8, null, 8.1, 8],
    [20, 19, 19, 18.5, 19],
    [11, 10, 9, 10, 11],
    [9, 9, 9, 9, 9],
  ],
  target: [
    [95, 97, 99, 100, 101],
    [110, 106, 104, 103, 99],
    [100, 100, 100, 100, 100],
    [90, 92, null, 96, 104],
    [80, 85, 90, 95, 98],
    [102, 98, 102, 98, 102],
  ],
};
const FIRST_YEAR = 2019;
const TEST_ACTOR = { kind: 'system', label: 'test' } as const;

describeEachDatabase('the SQL recompute agrees with statistics.ts', (driver) => {
  let database: TestDatabase;
  const orgs: string[] = [];
  const indicators = new Map<Polarity, IndicatorRow>();

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    for (let o = 0; o < 6; o++) orgs.push((await createTestOrganisation(database.db, { code: `RC-O${o + 1}` })).id);
    for (const polarity of ['higher', 'lower', 'target'] as const) {
      const indicator = await insertIndicator(database.db, {
        code: `RC-${polarity.toUpperCase()}`,
        title: `A ${polarity} indicator`,
        unit: 'n',
        polarity,
        target: polarity === 'target' ? 100 : null,
        category: 'performance',
        serviceArea: 'Tests',
        periodType: 'calendar_year',
      });
      indicators.set(polarity, indicator);
      await database.db.insert(indicatorValues).values(
        TABLES[polarity].flatMap((series, o) =>
          series.flatMap((value, y) =>
            value === null
              ? []
              : [
                  {
                    indicatorId: indicator.id,
                    organisationId: orgs[o]!,
                    periodIndex: FIRST_YEAR + y,
                    period: String(FIRST_YEAR + y),
                    value,
                  },
                ],
          ),
        ),
      );
    }
  });
  afterAll(() => database.close());

  for (const window of [3, 5]) {
    it(`gives every quartile, rank and trend of statistics.ts over a window of ${window}`, async () => {
      await setTrendWindow(database.db, window, TEST_ACTOR);
      await recompute(database);
      const stats = await database.db.select().from(indicatorPeriodStats);
      const trends = await trendsOf(database.db, orgs, window);
      const positions = positionsIn(trends);
      const firstInWindow = FIRST_YEAR + 5 - window;

      for (const [polarity, table] of Object.entries(TABLES) as [Polarity, (number | null)[][]][]) {
        const indicator = indicators.get(polarity)!;
        for (let y = 0; y < 5; y++) {
          const year = FIRST_YEAR + y;
          const present = table.map((series, o) => ({ o, v: series[y]! })).filter((x) => x.v !== null);
          const stat = stats.find((s) => s.indicatorId === indicator.id && s.periodIndex === year)!;
          const q = quartiles(present.map((x) => x.v));
          expect(stat).toMatchObject({ count: present.length });
          expect([stat.q1, stat.median, stat.q3]).toEqual([q.q1, q.median, q.q3].map((n) => expect.closeTo(n, 12)));

          const inWindow = positions.filter((p) => p.indicatorId === indicator.id && p.periodIndex === year);
          if (year < firstInWindow) {
            expect(inWindow).toEqual([]);
            continue;
          }
          const scores = present.map((x) => score(x.v, indicator));
          const expectedRanks = ranks(scores);
          const scoreQuartiles = quartiles(scores);
          expect(inWindow).toHaveLength(present.length);
          present.forEach((x, i) =>
            expect(inWindow.find((p) => p.organisationId === orgs[x.o])).toMatchObject({
              rank: expectedRanks[i],
              count: present.length,
              quartile: quartilePosition(scores[i]!, scoreQuartiles),
            }),
          );
        }

        table.forEach((series, o) => {
          const points = series
            .map((y, i) => ({ x: FIRST_YEAR + i, y }))
            .filter((p): p is { x: number; y: number } => p.y !== null && p.x >= firstInWindow);
          const expected = directionOfTravel(points, indicator);
          const row = trends.find((t) => t.indicatorId === indicator.id && t.organisationId === orgs[o])!;
          const context = `${polarity} O${o + 1}`;
          expect(row.direction, context).toBe(expected.direction);
          expect(row.points, context).toBe(expected.points);
          expect(row.periods, context).toEqual(points.map((p) => p.x));
          expect(row.windowValues, context).toEqual(points.map((p) => p.y));
          for (const [got, want] of [
            [row.slope, expected.slope],
            [row.change, expected.change],
            [row.tolerance, expected.tolerance],
            [row.mkS, expected.mannKendall?.s],
            [row.mkVariance, expected.mannKendall?.variance],
          ] as const)
            if (want === undefined) expect(got, context).toBeNull();
            else expect(got, context).toBeCloseTo(want, 9);
        });
      }
    });
  }

  it('reaches the hand-worked corners: a tie-corrected variance, a lone point, an unchanged series', async () => {
    await setTrendWindow(database.db, 5, TEST_ACTOR);
    await recompute(database);
    const trends = await trendsOf(database.db, orgs, 5);
    const of = (polarity: Polarity, o: number) =>
      trends.find((t) => t.indicatorId === indicators.get(polarity)!.id && t.organisationId === orgs[o])!;
    // O6 lower: 9 9 9 9 9 → S 0, variance (5·4·15 − 5·4·15) / 18 = 0, stable.
    expect(of('lower', 5)).toMatchObject({ direction: 'stable', mkS: 0, mkVariance: 0, slope: 0 });
    // O1 higher: 50 52 52 55 60 → S = 4 + 2 + 2 + 1 = 9 (the tied pair 52, 52 counts 0).
    expect(of('higher', 0)).toMatchObject({ direction: 'improving', mkS: 9 });
    // One tie group of two: variance (5·4·15 − 2·1·9) / 18 = 282 / 18.
    expect(of('higher', 0).mkVariance).toBeCloseTo(282 / 18, 12);
    // O5 higher has one value: no trend, no Mann–Kendall.
    expect(of('higher', 4)).toMatchObject({ direction: 'insufficient', points: 1, slope: null, mkS: null });
  });
});
