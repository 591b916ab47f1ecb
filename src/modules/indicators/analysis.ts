/**
 * One organisation's analysis, built from rows already read (no I/O): per indicator, its values over the
 * trend window with its rank and quartile among all providers (from the recompute) and within its
 * comparator group (worked out here: a group is small), its direction of travel and quartile movement;
 * and a summary that answers KLOE 4.2, 4.3, 4.4 and 5.2.3 against the group's median organisation.
 * The result is the `kloe-indicator-analysis/1` document (analysis.types.ts): what the API returns and snapshots
 * freeze.
 */
import { periodLabel } from './periods.js';
import { median, normalCdf, quartilePosition, quartiles, ranks, score } from './statistics.js';
import {
  ANALYSIS_FORMAT,
  type Analysis,
  type AnalysisInput,
  type DefinitionInput,
  type IndicatorAnalysis,
  type PeriodFigures,
  type Shares,
  type Standing,
  type StatInput,
  type TrendInput,
  type VfmPoint,
} from './analysis.types.js';

/**
 * Rows found by organisation and indicator (then period), through maps keyed by the ids the rows hold:
 * a page makes tens of thousands of these lookups, and a key string built for each one (and hashed
 * anew) cost more than the rest of the analysis.
 */
interface Keyed {
  organisationId: string;
  indicatorId: string;
  periodIndex?: number;
}

function finder<T extends Keyed>(rows: readonly T[]) {
  const byIndicator = new Map<string, Map<string, T[]>>();
  for (const row of rows) {
    let byOrganisation = byIndicator.get(row.indicatorId);
    if (!byOrganisation) byIndicator.set(row.indicatorId, (byOrganisation = new Map()));
    const list = byOrganisation.get(row.organisationId);
    if (list) list.push(row);
    else byOrganisation.set(row.organisationId, [row]);
  }
  return {
    one: (organisationId: string, indicatorId: string) => byIndicator.get(indicatorId)?.get(organisationId)?.[0],
    at: (organisationId: string, indicatorId: string, periodIndex: number) =>
      byIndicator
        .get(indicatorId)
        ?.get(organisationId)
        ?.find((row) => row.periodIndex === periodIndex),
  };
}
type Finder<T extends Keyed> = ReturnType<typeof finder<T>>;

/** Position 0 (last) … 100 (first) from a rank among count. */
const percentile = (rank: number, count: number) => (count <= 1 ? 100 : (100 * (count - rank)) / (count - 1));

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function sharesOf(
  organisationId: string,
  definitions: readonly DefinitionInput[],
  trends: Finder<TrendInput>,
  latestQuartile: (organisationId: string, indicatorId: string) => number | undefined,
): Shares {
  const counts = { improving: 0, stable: 0, declining: 0, insufficient: 0 };
  let top = 0;
  let placed = 0;
  for (const d of definitions) {
    counts[trends.one(organisationId, d.id)?.direction ?? 'insufficient']++;
    const quartile = latestQuartile(organisationId, d.id);
    if (quartile !== undefined) {
      placed++;
      if (quartile === 1) top++;
    }
  }
  const judged = counts.improving + counts.stable + counts.declining;
  return {
    indicators: definitions.length,
    ...counts,
    shareImproving: ratio(counts.improving, judged),
    shareTopQuartile: ratio(top, placed),
  };
}

const medianOf = (values: (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : median(present);
};

export function buildAnalysis(input: AnalysisInput): Analysis {
  const { organisation, group, window } = input;
  const self = organisation.id;
  const values = finder(input.values);
  const positions = finder(input.positions);
  const trends = finder(input.trends);
  const statsBy = new Map<string, StatInput[]>();
  for (const s of input.stats) {
    const list = statsBy.get(s.indicatorId);
    if (list) list.push(s);
    else statsBy.set(s.indicatorId, [s]);
  }
  // Each indicator's window, worked out once: the summaries below ask for it per organisation.
  const windows = new Map(
    [...statsBy].map(([id, stats]) => [
      id,
      stats
        .map((s) => s.periodIndex)
        .sort((a, b) => a - b)
        .slice(-window),
    ]),
  );
  const windowOf = (indicatorId: string) => windows.get(indicatorId) ?? [];
  const latestOf = (indicatorId: string) => windowOf(indicatorId).at(-1);
  const comparedIds = [self, ...group.members.map((m) => m.id).filter((id) => id !== self)];

  const indicators = input.definitions.map((d): IndicatorAnalysis => {
    const stats = new Map((statsBy.get(d.id) ?? []).map((s) => [s.periodIndex, s]));
    const periods = windowOf(d.id).map((index): PeriodFigures => {
      const own = values.at(self, d.id, index);
      const position = positions.at(self, d.id, index);
      const stat = stats.get(index)!;
      const compared = comparedIds
        .map((id) => ({ id, value: values.at(id, d.id, index)?.value ?? null }))
        .filter((c): c is { id: string; value: number } => c.value !== null);
      let groupStanding: Standing | null = null;
      const at = compared.findIndex((c) => c.id === self);
      if (at >= 0) {
        const scores = compared.map((c) => score(c.value, d));
        const groupQuartiles = quartiles(compared.map((c) => c.value));
        groupStanding = {
          rank: ranks(scores)[at]!,
          count: compared.length,
          quartile: quartilePosition(scores[at]!, quartiles(scores)),
          ...groupQuartiles,
        };
      }
      return {
        label: periodLabel(index, d.periodType),
        index,
        value: own?.value ?? null,
        quality: own?.quality ?? null,
        national: position
          ? {
              rank: position.rank,
              count: position.count,
              quartile: position.quartile,
              q1: stat.q1,
              median: stat.median,
              q3: stat.q3,
            }
          : null,
        group: groupStanding,
      };
    });
    const trend = trends.one(self, d.id);
    const placed = periods.filter((p) => p.national);
    const mk =
      trend?.mkS !== null && trend?.mkS !== undefined && trend.mkVariance
        ? (() => {
            const s = trend.mkS;
            const z = s > 0 ? (s - 1) / Math.sqrt(trend.mkVariance) : s < 0 ? (s + 1) / Math.sqrt(trend.mkVariance) : 0;
            return { s, z, p: 2 * (1 - normalCdf(Math.abs(z))) };
          })()
        : null;
    return {
      code: d.code,
      title: d.title,
      unit: d.unit,
      polarity: d.polarity,
      target: d.target,
      category: d.category,
      serviceArea: d.serviceArea,
      periods,
      direction: trend?.direction ?? 'insufficient',
      slope: trend?.slope ?? null,
      change: trend?.change ?? null,
      tolerance: trend?.tolerance ?? null,
      mannKendall: mk,
      quartileMovement:
        placed.length >= 2 ? placed[0]!.national!.quartile - placed[placed.length - 1]!.national!.quartile : null,
    };
  });

  const latestQuartile = (organisationId: string, indicatorId: string) => {
    const latest = latestOf(indicatorId);
    return latest === undefined ? undefined : positions.at(organisationId, indicatorId, latest)?.quartile;
  };
  // Context indicators describe the area, not the service: they have no better or worse.
  const judged = input.definitions.filter((d) => d.category !== 'context');
  const outcomes = judged.filter((d) => d.category === 'performance' || d.category === 'satisfaction');
  const costs = judged.filter((d) => d.category === 'cost');
  const memberShares = group.members
    .filter((m) => m.id !== self)
    .map((m) => ({
      all: sharesOf(m.id, judged, trends, latestQuartile),
      outcomes: sharesOf(m.id, outcomes, trends, latestQuartile),
    }));

  const meanPosition = (organisationId: string, definitions: readonly DefinitionInput[]) => {
    const values = definitions.flatMap((d) => {
      const latest = latestOf(d.id);
      const p = latest === undefined ? undefined : positions.at(organisationId, d.id, latest);
      return p ? [percentile(p.rank, p.count)] : [];
    });
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  };
  const valueForMoney = [{ ...organisation, distance: null }, ...group.members.filter((m) => m.id !== self)].flatMap(
    (o): VfmPoint[] => {
      const cost = meanPosition(o.id, costs);
      const performance = meanPosition(o.id, outcomes);
      return cost === null || performance === null
        ? []
        : [{ code: o.code, name: o.name, self: o.id === self, cost, performance }];
    },
  );

  return {
    format: ANALYSIS_FORMAT,
    asOf: input.asOf.toISOString(),
    window,
    organisation: { code: organisation.code, name: organisation.name },
    group: {
      name: group.name,
      kind: group.kind,
      members: group.members.map((m) => ({ code: m.code, name: m.name, distance: m.distance })),
    },
    indicators,
    summary: {
      all: sharesOf(self, judged, trends, latestQuartile),
      outcomes: sharesOf(self, outcomes, trends, latestQuartile),
      cost: sharesOf(self, costs, trends, latestQuartile),
      groupMedian: {
        shareImproving: medianOf(memberShares.map((s) => s.all.shareImproving)),
        shareTopQuartile: medianOf(memberShares.map((s) => s.all.shareTopQuartile)),
        outcomesShareImproving: medianOf(memberShares.map((s) => s.outcomes.shareImproving)),
      },
      valueForMoney,
    },
  };
}
