import { describe, expect, it } from 'vitest';
import { formatFigure } from './figure-format.js';

describe('formatFigure', () => {
  it('shows percentages to one decimal', () => {
    expect(formatFigure(67.8763, '%')).toBe('67.9');
    expect(formatFigure(100, '%')).toBe('100');
    expect(formatFigure(12.04, 'per cent')).toBe('12');
  });

  it('shows money to pence below £100 and to the pound above', () => {
    expect(formatFigure(12.5, '£')).toBe('12.50');
    expect(formatFigure(160.4567, '£ per home')).toBe('160');
    expect(formatFigure(1234567.8, '£')).toBe('1,234,568');
  });

  it('shows other measures to about four significant figures, thousands grouped', () => {
    expect(formatFigure(8.123456, 'days')).toBe('8.12');
    expect(formatFigure(123.456, 'per 1,000')).toBe('123.5');
    expect(formatFigure(1583984.4, 'n')).toBe('1,583,984');
    expect(formatFigure(0.012345, 'rate')).toBe('0.0123');
    expect(formatFigure(0, 'n')).toBe('0');
    expect(formatFigure(-2.345, 'n')).toBe('-2.35');
  });

  it('shows nothing for no value', () => {
    expect(formatFigure(null, '%')).toBe('');
    expect(formatFigure(undefined, '%')).toBe('');
  });
});
