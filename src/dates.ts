/**
 * Dates as kloe shows and compares them, in UK time: inspections are of UK public services, pages print UK
 * times, and "today" (a due date passed, a deadline reached) is the UK's today wherever the server runs. One
 * place, so pages, reports, notifications and services agree on the day.
 */

const UK = 'Europe/London';
// Made once: building an Intl formatter costs far more than using one (toLocaleString builds one per call).
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: UK });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: UK,
});
// en-CA writes dates as YYYY-MM-DD, the form plain dates are stored in.
const ISO_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: UK });

/** "28 February 2027", from an instant or a stored plain date ("2027-02-28"). */
export function plainDate(value: Date | string): string {
  return DATE.format(new Date(value));
}

/** "28 February 2027 at 14:05", UK time. */
export function plainDateTime(value: Date | string): string {
  return DATE_TIME.format(new Date(value));
}

/** The UK calendar day of an instant (default now) as YYYY-MM-DD, to compare with stored plain dates. */
export function ukDay(at: Date = new Date()): string {
  return ISO_DAY.format(at);
}
