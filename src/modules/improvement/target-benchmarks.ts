/**
 * What the plan's targets are set against, from the indicators module's analysis of the organisation: for
 * each indicator, its latest period with a value of the organisation, the organisation's national standing
 * then and the median of its comparator group (the group chosen by the analysis: its nearest neighbours).
 */
import type { Analysis, IndicatorsService } from '../indicators/index.js';
import type { PlanActor } from './improvement.policy.js';
import type { Benchmark } from './plan-quality.js';

export type TargetBenchmarks = (
  actor: PlanActor,
  organisationId: string,
  codes: string[],
) => Promise<ReadonlyMap<string, Benchmark>>;

/** Each indicator's benchmark among these codes; an indicator with no value of the organisation has none. */
export function benchmarksFrom(analysis: Pick<Analysis, 'indicators'>, codes: readonly string[]) {
  const benchmarks = new Map<string, Benchmark>();
  for (const indicator of analysis.indicators) {
    if (!codes.includes(indicator.code)) continue;
    const latest = indicator.periods.findLast((p) => p.value !== null);
    if (!latest) continue;
    const { national, group } = latest;
    benchmarks.set(indicator.code, {
      national: national && { quartile: national.quartile, q1: national.q1, median: national.median, q3: national.q3 },
      groupMedian: group?.median ?? null,
    });
  }
  return benchmarks;
}

export function targetBenchmarks(indicators: Pick<IndicatorsService, 'analysis'>): TargetBenchmarks {
  return async (actor, organisationId, codes) =>
    codes.length === 0 ? new Map() : benchmarksFrom(await indicators.analysis(actor, organisationId), codes);
}
