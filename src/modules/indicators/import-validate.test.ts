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
});
