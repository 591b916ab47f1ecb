import { describe, expect, it } from 'vitest';
import { parsePeriod, periodLabel } from './periods.js';

describe('parsePeriod', () => {
  it('reads financial years, short or long, checking the years follow on', () => {
    expect(parsePeriod('2023/24', 'financial_year')).toEqual({ type: 'financial_year', label: '2023/24', index: 2023 });
    expect(parsePeriod(' 2023/2024 ', 'financial_year')?.label).toBe('2023/24');
    expect(parsePeriod('1999/00', 'financial_year')?.index).toBe(1999);
    expect(parsePeriod('2023/25', 'financial_year')).toBeUndefined();
    expect(parsePeriod('2023', 'financial_year')).toBeUndefined();
    expect(parsePeriod('23/24', 'financial_year')).toBeUndefined();
  });

  it('reads calendar years', () => {
    expect(parsePeriod('2023', 'calendar_year')).toEqual({ type: 'calendar_year', label: '2023', index: 2023 });
    expect(parsePeriod('2023/24', 'calendar_year')).toBeUndefined();
  });

  it('reads quarters in order across years', () => {
    expect(parsePeriod('2023 Q1', 'quarter')).toEqual({ type: 'quarter', label: '2023 Q1', index: 8092 });
    expect(parsePeriod('2023q4', 'quarter')?.index).toBe(8095);
    expect(parsePeriod('2024-Q1', 'quarter')?.index).toBe(8096);
    expect(parsePeriod('2023 Q5', 'quarter')).toBeUndefined();
    expect(parsePeriod('Q1 2023', 'quarter')).toBeUndefined();
  });

  it('gives back the label of an index', () => {
    expect(periodLabel(2023, 'financial_year')).toBe('2023/24');
    expect(periodLabel(2099, 'financial_year')).toBe('2099/00');
    expect(periodLabel(2023, 'calendar_year')).toBe('2023');
    expect(periodLabel(8095, 'quarter')).toBe('2023 Q4');
  });
});
