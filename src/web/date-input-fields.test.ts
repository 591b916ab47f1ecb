import { describe, expect, it } from 'vitest';
import { dateFromFields, fieldsOfDate } from './date-input-fields.js';

const fields = (day: string, month: string, year: string) => ({ 'due-day': day, 'due-month': month, 'due-year': year });

describe('the GOV.UK date input', () => {
  it('reads a real date, and no date from three empty fields', () => {
    expect(dateFromFields(fields('7', '3', '2027'), 'due', 'The due date')).toEqual({ ok: true, value: '2027-03-07' });
    expect(dateFromFields(fields('', ' ', ''), 'due', 'The due date')).toEqual({ ok: true, value: null });
  });

  it('names what is missing, and refuses a date that does not exist', () => {
    expect(dateFromFields(fields('7', '', ''), 'due', 'The due date')).toEqual({
      ok: false,
      message: 'The due date must include a month and year',
    });
    expect(dateFromFields(fields('31', '2', '2027'), 'due', 'The due date')).toEqual({
      ok: false,
      message: 'The due date must be a real date',
    });
    expect(dateFromFields(fields('1', 'March', '27'), 'due', 'The due date').ok).toBe(false);
  });

  it('fills the fields from a stored date', () => {
    expect(fieldsOfDate('due', '2027-03-07')).toEqual(fields('7', '3', '2027'));
    expect(fieldsOfDate('due', null)).toEqual(fields('', '', ''));
  });
});
