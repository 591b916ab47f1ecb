/**
 * Checking raw rows against the organisations and indicators that exist: every bad row is reported by
 * its line and reason, and only a file without any is imported. No I/O: the caller feeds it batches.
 */
import {
  FIRST_PERIOD_YEAR,
  parsePeriod,
  PERIOD_EXAMPLES,
  periodYear,
  type Period,
  type PeriodType,
} from './periods.js';
import type { RawRow } from './import-file.js';
import { QUALITY_FLAGS, type QualityFlag } from './indicators.tables.js';

export interface ImportRow {
  indicatorId: string;
  periodIndex: number;
  organisationId: string;
  period: string;
  value: number | null;
  quality: QualityFlag | null;
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface Lookups {
  organisations: ReadonlyMap<string, string>;
  indicators: ReadonlyMap<string, { id: string; periodType: PeriodType; unit?: string }>;
}

/**
 * The largest magnitude a value may have: the recompute subtracts values and interpolates between them,
 * and values near the limit of a double (1.7e308) overflow there. A thousand million million is far
 * beyond any count, cost or rate a public service reports.
 */
export const LARGEST_VALUE = 1e15;

/** Units whose values are shares of a whole, so lie between 0 and 100. */
const PERCENT_UNITS = new Set(['%', 'percent', 'percentage']);

/** Text from a file as a message shows it: long values cut, so a bad 50 MB field is not sent back whole. */
export function shown(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}… (${text.length.toLocaleString('en-GB')} characters)`;
}

/** Why a parsed value cannot be kept, or undefined when it can. */
function valueProblem(text: string, value: number, unit: string | undefined): string | undefined {
  if (Math.abs(value) > LARGEST_VALUE)
    return `The value "${shown(text)}" is too large: values must lie between -1e15 and 1e15`;
  // 1e-400 reads as 0, and 1e-310 loses its digits: refuse rather than store another number.
  if (
    (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) ||
    (value !== 0 && Math.abs(value) < 2.2250738585072014e-308)
  )
    return `The value "${shown(text)}" is too small to store: it would be kept as 0`;
  if (unit !== undefined && PERCENT_UNITS.has(unit.trim().toLowerCase()) && (value < 0 || value > 100))
    return `The value "${shown(text)}" is a percentage outside 0 to 100`;
  return undefined;
}

const POINT_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const COMMA_NUMBER = /^[-+]?\d+(,\d+)?$/;

/** A number written with a full stop (or, in a semicolon file, a comma) as the decimal separator. */
export function parseNumber(text: string, decimalComma: boolean): number | undefined {
  // The common case first: a plain number, without the copy that removing spaces makes.
  if (!decimalComma && POINT_NUMBER.test(text)) return Number(text);
  const compact = text.replace(/\s/g, '');
  if (decimalComma && COMMA_NUMBER.test(compact)) return Number(compact.replace(',', '.'));
  return POINT_NUMBER.test(compact) ? Number(compact) : undefined;
}

function numberProblem(text: string, decimalComma: boolean): string {
  if (!decimalComma && /^[-+]?\d+,\d+$/.test(text))
    return `The value "${text}" has a comma: use a full stop for decimals (12.5) and no thousands separators`;
  return `The value "${shown(text)}" is not a number`;
}

const QUALITY_WORDS: Record<string, QualityFlag> = Object.fromEntries(
  QUALITY_FLAGS.flatMap((q) => [
    [q, q],
    [q.replace('_', ' '), q],
  ]),
);

const SEEN_SHARDS = 4_096;
/** Distinct period texts remembered per period type (a file has few; a broken one must not fill memory). */
const PERIOD_CACHE_LIMIT = 10_000;

/**
 * Checks a file's rows batch by batch, remembering what it has seen so that a duplicate is found
 * wherever it is; `problems` holds every bad row so far.
 */
export class RowChecker {
  readonly problems: RowProblem[] = [];
  /** Rows that passed. */
  count = 0;
  /**
   * Line of the first row for each organisation × indicator × period, under a numeric key, spread over
   * many small maps: one map of millions of entries blocks the event loop each time it grows (it is
   * copied whole into a larger table), a small one only briefly.
   */
  private readonly seen = Array.from({ length: SEEN_SHARDS }, () => new Map<number, number>());
  private readonly organisations: ReadonlyMap<string, { id: string; ordinal: number }>;
  private readonly indicators: ReadonlyMap<
    string,
    { id: string; periodType: PeriodType; unit?: string; ordinal: number }
  >;
  private readonly periods = new Map<PeriodType, Map<string, Period | null>>();
  /** The last year a period may start in: next year's figures may be planned, later ones are slips. */
  private readonly lastYear: number;

  constructor(lookups: Lookups, options: { today?: Date } = {}) {
    this.lastYear = (options.today ?? new Date()).getUTCFullYear() + 1;
    this.organisations = new Map([...lookups.organisations].map(([code, id], ordinal) => [code, { id, ordinal }]));
    this.indicators = new Map([...lookups.indicators].map(([code, i], ordinal) => [code, { ...i, ordinal }]));
  }

  check(rows: readonly RawRow[]): ImportRow[] {
    const valid: ImportRow[] = [];
    for (const raw of rows) {
      const row = this.checkRow(raw);
      if (row) valid.push(row);
    }
    this.count += valid.length;
    return valid;
  }

  private period(text: string, type: PeriodType): Period | undefined {
    let known = this.periods.get(type);
    if (!known) this.periods.set(type, (known = new Map()));
    let period = known.get(text);
    if (period === undefined) {
      period = parsePeriod(text, type) ?? null;
      if (known.size < PERIOD_CACHE_LIMIT) known.set(text, period);
    }
    return period ?? undefined;
  }

  private checkRow(raw: RawRow): ImportRow | undefined {
    const reasons: string[] = [];
    // Codes are matched without regard to case; most files already write them as defined.
    const organisation =
      this.organisations.get(raw.organisation) ?? this.organisations.get(raw.organisation.toUpperCase());
    if (!raw.organisation) reasons.push('The organisation code is missing');
    else if (!organisation) reasons.push(`No organisation has the code "${shown(raw.organisation)}"`);
    const indicator = this.indicators.get(raw.indicator) ?? this.indicators.get(raw.indicator.toUpperCase());
    if (!raw.indicator) reasons.push('The indicator code is missing');
    else if (!indicator) reasons.push(`No indicator has the code "${shown(raw.indicator)}"`);
    let period = indicator ? this.period(raw.period, indicator.periodType) : undefined;
    if (indicator && !period)
      reasons.push(
        `The period "${shown(raw.period)}" is not in the form of this indicator’s periods, like ${PERIOD_EXAMPLES[indicator.periodType]}`,
      );
    if (period && (periodYear(period) < FIRST_PERIOD_YEAR || periodYear(period) > this.lastYear)) {
      reasons.push(`The period "${shown(raw.period)}" is outside the years ${FIRST_PERIOD_YEAR} to ${this.lastYear}`);
      period = undefined;
    }
    const quality = raw.quality === '' ? null : QUALITY_WORDS[raw.quality.toLowerCase()];
    if (quality === undefined)
      reasons.push(`The quality "${shown(raw.quality)}" is not one of estimated, provisional, not collected`);
    let value: number | null = null;
    if (typeof raw.value === 'number') {
      // A spreadsheet's number cell: already a double, checked against the same bounds.
      const problem = valueProblem(String(raw.value), raw.value, indicator?.unit);
      if (problem) reasons.push(problem);
      else value = raw.value;
    } else if (raw.value === '') {
      if (quality !== 'not_collected') reasons.push('The value is missing (leave it empty only when not collected)');
    } else {
      const parsed = parseNumber(raw.value, raw.decimalComma);
      const problem =
        parsed === undefined || !Number.isFinite(parsed)
          ? numberProblem(raw.value, raw.decimalComma)
          : valueProblem(raw.value, parsed, indicator?.unit);
      if (problem) reasons.push(problem);
      else value = parsed!;
    }
    if (organisation && indicator && period) {
      // Period indexes are below 40,000 (four-digit years, four quarters), so the key is exact.
      const pair = indicator.ordinal * this.organisations.size + organisation.ordinal;
      const seen = this.seen[pair % SEEN_SHARDS]!;
      const key = Math.floor(pair / SEEN_SHARDS) * 65_536 + period.index;
      const first = seen.get(key);
      if (first !== undefined) reasons.push(`A duplicate of line ${first} (same organisation, indicator and period)`);
      else seen.set(key, raw.line);
    }
    if (reasons.length > 0) {
      this.problems.push({ line: raw.line, message: reasons.join('; ') });
      return undefined;
    }
    return {
      indicatorId: indicator!.id,
      periodIndex: period!.index,
      organisationId: organisation!.id,
      period: period!.label,
      value,
      quality: quality ?? null,
    };
  }
}
