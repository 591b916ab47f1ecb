/**
 * The GOV.UK date input (day, month and year fields named `<name>-day`, `<name>-month`, `<name>-year`) read
 * into an ISO date, with the pattern's error messages. All three empty means no date. Every form that asks
 * for a date uses these (and the dateInput macro of views/_date-input.njk shows the fields).
 */
import type { z } from 'zod';
import { AppError, type FieldProblem } from '../errors.js';
import { problemsFromZod } from './form-errors.js';

export type DateFieldResult = { ok: true; value: string | null } | { ok: false; message: string };

const PARTS = ['day', 'month', 'year'] as const;

export function dateFromFields(values: Record<string, unknown>, name: string, label: string): DateFieldResult {
  const raw = Object.fromEntries(PARTS.map((p) => [p, String(values[`${name}-${p}`] ?? '').trim()])) as Record<
    (typeof PARTS)[number],
    string
  >;
  const missing = PARTS.filter((p) => raw[p] === '');
  if (missing.length === 3) return { ok: true, value: null };
  if (missing.length > 0) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` };
  if (!PARTS.every((p) => /^\d+$/.test(raw[p])) || raw.year.length !== 4) {
    return { ok: false, message: `${label} must be a real date, with a 4-digit year` };
  }
  const [day, month, year] = [Number(raw.day), Number(raw.month), Number(raw.year)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, message: `${label} must be a real date` };
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

/**
 * A posted form's values with each named date's three fields read into the date (null when all three
 * are empty), ready for the form's schema; the problems name the date's day field, which the error summary
 * links to. `dates` maps each date's name to its label as a sentence starts it ("The due date").
 */
export function readDateFields(
  posted: Record<string, unknown>,
  dates: Record<string, string>,
): { values: Record<string, unknown>; problems: FieldProblem[] } {
  const values: Record<string, unknown> = { ...posted };
  const problems: FieldProblem[] = [];
  for (const [name, label] of Object.entries(dates)) {
    // A link may give the date itself (?from=2026-01-01): without any of its fields, it is left as given.
    if (PARTS.every((part) => posted[`${name}-${part}`] === undefined)) continue;
    const read = dateFromFields(posted, name, label);
    for (const part of PARTS) delete values[`${name}-${part}`];
    if (read.ok) values[name] = read.value;
    else problems.push({ field: `${name}-day`, message: read.message });
  }
  return { values, problems };
}

/**
 * Parses a form with GOV.UK date inputs against its schema: every problem at once, those of the dates (theirs
 * and the schema's rules about them, such as an end before a start) on their day fields.
 */
export function parseDateForm<T extends z.ZodType>(
  schema: T,
  posted: Record<string, unknown>,
  dates: Record<string, string>,
): z.infer<T> {
  const { values, problems } = readDateFields(posted, dates);
  const parsed = schema.safeParse(values);
  const refused = new Set(problems.map((p) => p.field));
  const schemaProblems = parsed.success
    ? []
    : onDayFields(problemsFromZod(parsed.error), dates).filter((p) => !refused.has(p.field));
  if (problems.length > 0 || schemaProblems.length > 0 || !parsed.success) {
    throw new AppError('invalid_request', 400, 'Check the form', [...problems, ...schemaProblems]);
  }
  return parsed.data;
}

/** Problems with a date (the form's schema's or the work's, by the date's name) moved to its day field. */
export function onDayFields(problems: FieldProblem[], dates: Record<string, string>): FieldProblem[] {
  return problems.map((p) => (p.field in dates ? { ...p, field: `${p.field}-day` } : p));
}
