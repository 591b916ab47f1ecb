/**
 * The `kloe-indicator-analysis/1` document: what one organisation's analysis is built from (the rows read for
 * it) and what it holds, per indicator and in its summary. The API returns it and snapshots freeze it, so
 * its shape changes only with its format's name. Built by analysis.ts.
 */
import type { PeriodType } from './periods.js';
import type { Direction, Polarity } from './statistics.js';
import type { IndicatorCategory, QualityFlag } from './indicators.tables.js';

export const ANALYSIS_FORMAT = 'kloe-indicator-analysis/1';

export interface DefinitionInput {
  id: string;
  code: string;
  title: string;
  unit: string;
  polarity: Polarity;
  target: number | null;
  category: IndicatorCategory;
  serviceArea: string;
  periodType: PeriodType;
}
export interface ValueInput {
  organisationId: string;
  indicatorId: string;
  periodIndex: number;
  value: number | null;
  quality: QualityFlag | null;
}
export interface PositionInput {
  organisationId: string;
  indicatorId: string;
  periodIndex: number;
  rank: number;
  count: number;
  quartile: number;
}
export interface TrendInput {
  organisationId: string;
  indicatorId: string;
  direction: Direction;
  slope: number | null;
  change: number | null;
  tolerance: number | null;
  points: number;
  mkS: number | null;
  mkVariance: number | null;
}
export interface StatInput {
  indicatorId: string;
  periodIndex: number;
  count: number;
  q1: number;
  median: number;
  q3: number;
}
export interface OrganisationInput {
  id: string;
  code: string;
  name: string;
}
export interface GroupInput {
  name: string;
  kind: 'type' | 'list' | 'nearest';
  members: (OrganisationInput & { distance: number | null })[];
}

export interface AnalysisInput {
  organisation: OrganisationInput;
  asOf: Date;
  window: number;
  group: GroupInput;
  definitions: readonly DefinitionInput[];
  /** Values of the organisation and its group's members. */
  values: readonly ValueInput[];
  positions: readonly PositionInput[];
  trends: readonly TrendInput[];
  stats: readonly StatInput[];
}

export interface Standing {
  rank: number;
  count: number;
  quartile: number;
  q1: number;
  median: number;
  q3: number;
}

export interface PeriodFigures {
  label: string;
  index: number;
  value: number | null;
  quality: QualityFlag | null;
  national: Standing | null;
  group: Standing | null;
}

export interface IndicatorAnalysis {
  code: string;
  title: string;
  unit: string;
  polarity: Polarity;
  target: number | null;
  category: IndicatorCategory;
  serviceArea: string;
  periods: PeriodFigures[];
  direction: Direction;
  slope: number | null;
  change: number | null;
  tolerance: number | null;
  mannKendall: { s: number; z: number; p: number } | null;
  /** Quartiles moved up (positive) or down between the first and last period of the window, nationally. */
  quartileMovement: number | null;
}

export interface Shares {
  indicators: number;
  improving: number;
  stable: number;
  declining: number;
  insufficient: number;
  shareImproving: number | null;
  shareTopQuartile: number | null;
}

export interface VfmPoint {
  code: string;
  name: string;
  self: boolean;
  /** Mean national position (0 worst … 100 best) on cost indicators and on performance indicators, latest period. */
  cost: number;
  performance: number;
}

export interface Analysis {
  format: typeof ANALYSIS_FORMAT;
  asOf: string;
  window: number;
  organisation: { code: string; name: string };
  group: { name: string; kind: GroupInput['kind']; members: { code: string; name: string; distance: number | null }[] };
  indicators: IndicatorAnalysis[];
  summary: {
    all: Shares;
    outcomes: Shares;
    cost: Shares;
    groupMedian: {
      shareImproving: number | null;
      shareTopQuartile: number | null;
      outcomesShareImproving: number | null;
    };
    valueForMoney: VfmPoint[];
  };
}
