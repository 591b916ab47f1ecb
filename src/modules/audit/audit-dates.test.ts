import { describe, expect, it } from 'vitest';
import { ukDayEnd, ukDayStart } from './audit-dates.js';

describe('UK days of the date filters', () => {
  it.each([
    ['a winter day', '2026-01-15', '2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z'],
    ['a summer day', '2026-07-01', '2026-06-30T23:00:00.000Z', '2026-07-01T23:00:00.000Z'],
    ['the day the clocks go forward (23 hours)', '2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'],
    ['the day the clocks go back (25 hours)', '2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'],
    ['the last day of a year', '2025-12-31', '2025-12-31T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ])('bounds %s', (_name, date, start, end) => {
    expect(ukDayStart(date).toISOString()).toBe(start);
    expect(ukDayEnd(date).toISOString()).toBe(end);
  });
});
