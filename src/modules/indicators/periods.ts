/**
 * Periods as users write them: a financial year "2023/24", a calendar year "2023", a quarter "2023 Q1".
 * Each becomes a sortable index where consecutive periods differ by one, so trends use real spacing
 * and a missing period leaves a gap rather than closing it up.
 */
export const PERIOD_TYPES = ['financial_year', 'calendar_year', 'quarter'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const PERIOD_EXAMPLES: Record<PeriodType, string> = {
  financial_year: '2023/24',
  calendar_year: '2023',
  quarter: '2023 Q1',
};

export interface Period {
  type: PeriodType;
  /** The canonical label, e.g. "2023/24". */
  label: string;
  index: number;
}

const FINANCIAL = /^(\d{4})\s*\/\s*(\d{2}|\d{4})$/;
const CALENDAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})\s*[- ]?\s*Q([1-4])$/i;

/** The period, or undefined when the text is not a period of that type. */
export function parsePeriod(text: string, type: PeriodType): Period | undefined {
  const trimmed = text.trim();
  if (type === 'financial_year') {
    const match = FINANCIAL.exec(trimmed);
    if (!match) return undefined;
    const start = Number(match[1]);
    const end = Number(match[2]);
    const expected = match[2]!.length === 2 ? (start + 1) % 100 : start + 1;
    if (end !== expected) return undefined;
    return { type, label: `${start}/${String((start + 1) % 100).padStart(2, '0')}`, index: start };
  }
  if (type === 'calendar_year') {
    const match = CALENDAR.exec(trimmed);
    return match ? { type, label: match[1]!, index: Number(match[1]) } : undefined;
  }
  const match = QUARTER.exec(trimmed);
  if (!match) return undefined;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  return { type, label: `${year} Q${quarter}`, index: year * 4 + quarter - 1 };
}

/** The first year a period may start in: earlier ones are typing slips, not history kloe compares. */
export const FIRST_PERIOD_YEAR = 1990;

/** The year a period starts in (a financial year's first year, a quarter's year). */
export function periodYear(period: Period): number {
  return period.type === 'quarter' ? Math.floor(period.index / 4) : period.index;
}

/** The label of a period index (the inverse of parsePeriod's index). */
export function periodLabel(index: number, type: PeriodType): string {
  if (type === 'financial_year') return `${index}/${String((index + 1) % 100).padStart(2, '0')}`;
  if (type === 'calendar_year') return String(index);
  return `${Math.floor(index / 4)} Q${(index % 4) + 1}`;
}
