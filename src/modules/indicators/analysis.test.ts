import { describe, expect, it } from 'vitest';
import { buildAnalysis } from './analysis.js';
import type { AnalysisInput } from './analysis.types.js';
import { kloeFigures } from './kloe-figures.js';

const org = (n: number) => ({ id: `o${n}`, code: `O${n}`, name: `Org ${n}` });
const definition = (id: string, category: 'performance' | 'cost', polarity: 'higher' | 'lower') => ({
  id,
  code: id.toUpperCase(),
  title: id,
  unit: 'x',
  polarity,
  target: null,
  category,
  serviceArea: 'Repairs',
  periodType: 'calendar_year' as const,
});

// Org 1 and three neighbours; performance (higher better) and cost (lower better) in 2022 and 2023.
const perf: Record<number, [number, number]> = { 1: [50, 70], 2: [60, 60], 3: [65, 62], 4: [40, 45] };
const cost: Record<number, [number, number]> = { 1: [10, 8], 2: [9, 9.5], 3: [12, 12], 4: [7, 7] };

function input(): AnalysisInput {
  const values = [1, 2, 3, 4].flatMap((o) =>
    [0, 1].flatMap((y) => [
      { organisationId: `o${o}`, indicatorId: 'perf', periodIndex: 2022 + y, value: perf[o]![y]!, quality: null },
      { organisationId: `o${o}`, indicatorId: 'cost', periodIndex: 2022 + y, value: cost[o]![y]!, quality: null },
    ]),
  );
  const position = (o: number, indicatorId: string, periodIndex: number, rank: number, quartile: number) => ({
    organisationId: `o${o}`,
    indicatorId,
    periodIndex,
    rank,
    count: 4,
    quartile,
  });
  const trend = (o: number, indicatorId: string, direction: 'improving' | 'stable' | 'declining') => ({
    organisationId: `o${o}`,
    indicatorId,
    direction,
    slope: 1,
    change: 1,
    tolerance: 0.1,
    points: 2,
    mkS: null,
    mkVariance: null,
  });
  return {
    organisation: org(1),
    asOf: new Date('2026-01-01T00:00:00Z'),
    window: 2,
    group: { name: 'Neighbours', kind: 'nearest', members: [2, 3, 4].map((n) => ({ ...org(n), distance: n / 10 })) },
    definitions: [definition('perf', 'performance', 'higher'), definition('cost', 'cost', 'lower')],
    values,
    // National positions as the recompute would give them (2023): perf 70, 62, 60, 45; cost 7, 8, 9.5, 12.
    positions: [
      position(1, 'perf', 2022, 3, 3),
      position(1, 'perf', 2023, 1, 1),
      position(2, 'perf', 2023, 3, 3),
      position(3, 'perf', 2023, 2, 2),
      position(4, 'perf', 2023, 4, 4),
      position(1, 'cost', 2023, 2, 2),
      position(2, 'cost', 2023, 3, 3),
      position(3, 'cost', 2023, 4, 4),
      position(4, 'cost', 2023, 1, 1),
    ],
    trends: [
      trend(1, 'perf', 'improving'),
      trend(1, 'cost', 'improving'),
      trend(2, 'perf', 'stable'),
      trend(2, 'cost', 'declining'),
      trend(3, 'perf', 'declining'),
      trend(3, 'cost', 'stable'),
      trend(4, 'perf', 'improving'),
      trend(4, 'cost', 'stable'),
    ],
    stats: [2022, 2023].flatMap((periodIndex) =>
      ['perf', 'cost'].map((indicatorId) => ({ indicatorId, periodIndex, count: 4, q1: 0, median: 0, q3: 0 })),
    ),
  };
}

describe('buildAnalysis', () => {
  const analysis = buildAnalysis(input());

  it('ranks the organisation within its group, polarity-aware', () => {
    const [perf2022, perf2023] = analysis.indicators.find((i) => i.code === 'PERF')!.periods;
    // 2022: 50 among 60, 65, 40 → third; value quartiles of 40 50 60 65 are 47.5, 55, 61.25.
    expect(perf2022!.group).toEqual({ rank: 3, count: 4, quartile: 3, q1: 47.5, median: 55, q3: 61.25 });
    expect(perf2023!.group).toMatchObject({ rank: 1, quartile: 1 });
    // Cost 8 among 9.5, 12, 7 (lower is better) → second.
    expect(analysis.indicators.find((i) => i.code === 'COST')!.periods[1]!.group).toMatchObject({ rank: 2 });
    expect(analysis.indicators.find((i) => i.code === 'PERF')!.quartileMovement).toBe(2);
  });

  it('sets the organisation’s shares against the group’s median organisation', () => {
    expect(analysis.summary.all).toMatchObject({ improving: 2, shareImproving: 1, shareTopQuartile: 0.5 });
    // Members improved on 0, 0 and 1 of 2 indicators: median 0. In the top quartile: 0, 0, 1 of 2 → 0.
    expect(analysis.summary.groupMedian).toEqual({ shareImproving: 0, shareTopQuartile: 0, outcomesShareImproving: 0 });
  });

  it('places everyone on value for money from their latest national ranks', () => {
    // Rank r of 4 → 100 × (4 − r) / 3.
    const self = analysis.summary.valueForMoney.find((p) => p.self)!;
    expect(self.cost).toBeCloseTo(200 / 3, 12);
    expect(self.performance).toBe(100);
    expect(analysis.summary.valueForMoney).toHaveLength(4);
  });

  it('words the figures for each KLOE', () => {
    const figures = kloeFigures(analysis);
    expect(figures['4.3'][0]).toBe(
      '2 of 2 indicators with a direction of travel improved (100%), 0 stayed stable and 0 declined over the last 2 periods; 50% are in the top quartile of all providers in the latest period.',
    );
    expect(figures['5.2.3'][0]).toBe(
      'Costs compared with others: a cost position of 67 of 100 against a median of 33 of 100 in Neighbours; performance 100 of 100 against 33 of 100.',
    );
  });
});
