import { describe, expect, it } from 'vitest';
import type { RawRow } from './import-file.js';
import { parseNumber, RowChecker } from './import-validate.js';

const lookups = {
  organisations: new Map([
    ['O1', 'org-1'],
    ['O2', 'org-2'],
  ]),
  indicators: new Map([
    ['SAT', { id: 'ind-sat', periodType: 'financial_year' as const }],
    ['Q', { id: 'ind-q', periodType: 'quarter' as const }],
    ['PCT', { id: 'ind-pct', periodType: 'calendar_year' as const, unit: '%' }],
  ]),
};

const row = (line: number, organisation: string, indicator: string, period: string, value: string): RawRow => ({
  line,
  organisation,
  indicator,
  period,
  value,
  quality: '',
  decimalComma: false,
});

describe('RowChecker', () => {
  it('finds a duplicate in a later batch, by the canonical period, naming the first line', () => {
    const checker = new RowChecker(lookups);
    expect(checker.check([row(2, 'O1', 'SAT', '2023/24', '1'), row(3, 'o2', 'sat', '2023/24', '2')])).toHaveLength(2);
    expect(checker.check([row(4, 'O1', 'SAT', '2023/2024', '3'), row(5, 'O1', 'Q', '2023 Q1', '4')])).toEqual([
      {
        indicatorId: 'ind-q',
        periodIndex: 2023 * 4,
        organisationId: 'org-1',
        period: '2023 Q1',
        value: 4,
        quality: null,
      },
    ]);
    expect(checker.problems).toEqual([
      { line: 4, message: 'A duplicate of line 2 (same organisation, indicator and period)' },
    ]);
    expect(checker.count).toBe(3);
  });

  it('tells apart keys that differ only in organisation, indicator or period', () => {
    const checker = new RowChecker(lookups);
    const rows = ['O1', 'O2'].flatMap((o, i) =>
      ['SAT', 'Q'].flatMap((ind, j) =>
        ['2023', '2024'].map((year, k) =>
          row(i * 4 + j * 2 + k, o, ind, ind === 'Q' ? `${year} Q4` : `${year}/${Number(year.slice(2)) + 1}`, '1'),
        ),
      ),
    );
    expect(checker.check(rows)).toHaveLength(8);
    expect(checker.problems).toEqual([]);
  });

  it('remembers a bad period of one indicator type without confusing another type', () => {
    const checker = new RowChecker(lookups);
    checker.check([row(2, 'O1', 'Q', '2023/24', '1'), row(3, 'O1', 'SAT', '2023/24', '1')]);
    expect(checker.problems.map((p) => p.line)).toEqual([2]);
  });
});

describe('parseNumber', () => {
  it('reads full-stop decimals, with spaces, and comma decimals only where the file uses them', () => {
    expect(parseNumber('12.5', false)).toBe(12.5);
    expect(parseNumber(' 1 000.5 ', false)).toBe(1000.5);
    expect(parseNumber('-1e3', false)).toBe(-1000);
    expect(parseNumber('12,5', false)).toBeUndefined();
    expect(parseNumber('12,5', true)).toBe(12.5);
    expect(parseNumber('12', true)).toBe(12);
    expect(parseNumber('0x10', false)).toBeUndefined();
    expect(parseNumber('Infinity', false)).toBeUndefined();
  });

  it('refuses values the arithmetic cannot carry or that would be stored as another number', () => {
    const checker = new RowChecker(lookups);
    const kept = checker.check([
      row(2, 'O1', 'SAT', '2020/21', '1.7e308'),
      row(3, 'O1', 'SAT', '2021/22', '-1.7e308'),
      row(4, 'O1', 'SAT', '2022/23', '1e-400'),
      row(5, 'O1', 'SAT', '2023/24', '1e15'),
      row(6, 'O2', 'SAT', '2023/24', '0.0e5'),
      { ...row(7, 'O2', 'SAT', '2022/23', ''), value: 2e16 },
    ]);
    expect(kept.map((r) => r.value)).toEqual([1e15, 0]);
    expect(checker.problems).toEqual([
      { line: 2, message: 'The value "1.7e308" is too large: values must lie between -1e15 and 1e15' },
      { line: 3, message: 'The value "-1.7e308" is too large: values must lie between -1e15 and 1e15' },
      { line: 4, message: 'The value "1e-400" is too small to store: it would be kept as 0' },
      { line: 7, message: 'The value "20000000000000000" is too large: values must lie between -1e15 and 1e15' },
    ]);
  });

  it('keeps percentages between 0 and 100', () => {
    const checker = new RowChecker(lookups);
    const kept = checker.check([
      row(2, 'O1', 'PCT', '2021', '0'),
      row(3, 'O1', 'PCT', '2022', '100'),
      row(4, 'O1', 'PCT', '2023', '100.5'),
      row(5, 'O2', 'PCT', '2023', '-1'),
    ]);
    expect(kept.map((r) => r.value)).toEqual([0, 100]);
    expect(checker.problems.map((p) => p.message)).toEqual([
      'The value "100.5" is a percentage outside 0 to 100',
      'The value "-1" is a percentage outside 0 to 100',
    ]);
  });

  it('refuses periods before 1990 or after next year', () => {
    const checker = new RowChecker(lookups, { today: new Date('2026-12-06') });
    const kept = checker.check([
      row(2, 'O1', 'SAT', '0000/01', '1'),
      row(3, 'O1', 'SAT', '1899/00', '1'),
      row(4, 'O1', 'SAT', '2205/06', '1'),
      row(5, 'O1', 'SAT', '1990/91', '1'),
      row(6, 'O1', 'SAT', '2027/28', '1'),
      row(7, 'O1', 'Q', '2028 Q1', '1'),
    ]);
    expect(kept.map((r) => r.period)).toEqual(['1990/91', '2027/28']);
    expect(checker.problems).toEqual([
      { line: 2, message: 'The period "0000/01" is outside the years 1990 to 2027' },
      { line: 3, message: 'The period "1899/00" is outside the years 1990 to 2027' },
      { line: 4, message: 'The period "2205/06" is outside the years 1990 to 2027' },
      { line: 7, message: 'The period "2028 Q1" is outside the years 1990 to 2027' },
    ]);
  });

  it('cuts long text from the file in its messages', () => {
    const checker = new RowChecker(lookups);
    checker.check([row(2, 'O1', 'SAT', '2023/24', 'x'.repeat(20_000_000))]);
    expect(checker.problems[0]!.message).toBe(`The value "${'x'.repeat(40)}… (20,000,000 characters)" is not a number`);
  });
});
