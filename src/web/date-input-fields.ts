/**
 * The GOV.UK date input (day, month and year fields named `<name>-day`, `<name>-month`, `<name>-year`) read
 * into an ISO date, with the pattern's error messages. All three empty means no date.
 */
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

/** The three fields' values of an ISO date (or empty), to fill a date input. */
export function fieldsOfDate(name: string, iso: string | null | undefined): Record<string, string> {
  const [year = '', month = '', day = ''] = iso ? iso.split('-') : [];
  return {
    [`${name}-day`]: day ? String(Number(day)) : '',
    [`${name}-month`]: month ? String(Number(month)) : '',
    [`${name}-year`]: year,
  };
}
