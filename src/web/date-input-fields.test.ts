import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppError } from '../errors.js';
import { dateFromFields, onDayFields, parseDateForm, readDateFields } from './date-input-fields.js';

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
});

describe('a form with GOV.UK date inputs', () => {
  const schema = z
    .object({ title: z.string().min(1, 'Enter a title'), start: z.iso.date().nullable(), end: z.iso.date().nullable() })
    .refine((v) => !v.start || !v.end || v.end >= v.start, {
      path: ['end'],
      message: 'The end must be after the start',
    });
  const dates = { start: 'The start date', end: 'The end date' };
  const problemsOf = (posted: Record<string, unknown>) => {
    try {
      parseDateForm(schema, posted, dates);
      return [];
    } catch (error) {
      return (error as AppError).problems;
    }
  };

  it('reads each date from its three fields, empty ones as no date, for the schema to check', () => {
    const posted = { title: 'Survey', 'start-day': '1', 'start-month': '4', 'start-year': '2027' };
    expect(readDateFields({ ...posted, 'end-day': '', 'end-month': '', 'end-year': '' }, dates).values).toEqual({
      title: 'Survey',
      start: '2027-04-01',
      end: null,
    });
    expect(parseDateForm(schema, { ...posted, end: '2027-05-01' }, dates)).toEqual({
      title: 'Survey',
      start: '2027-04-01',
      end: '2027-05-01',
    });
  });

  it('names every problem at once, a date’s on its day field, the schema’s rules about a date too', () => {
    expect(problemsOf({ title: '', 'start-day': '30', 'start-month': '2', 'start-year': '2027', end: null })).toEqual([
      { field: 'start-day', message: 'The start date must be a real date' },
      { field: 'title', message: 'Enter a title' },
    ]);
    expect(
      problemsOf({
        title: 'Survey',
        ...{ 'start-day': '2', 'start-month': '4', 'start-year': '2027' },
        ...{ 'end-day': '1', 'end-month': '4', 'end-year': '2027' },
      }),
    ).toEqual([{ field: 'end-day', message: 'The end must be after the start' }]);
  });

  it('moves the work’s problems with a date to its day field', () => {
    expect(
      onDayFields(
        [
          { field: 'end', message: 'x' },
          { field: 'title', message: 'y' },
        ],
        dates,
      ),
    ).toEqual([
      { field: 'end-day', message: 'x' },
      { field: 'title', message: 'y' },
    ]);
  });
});
