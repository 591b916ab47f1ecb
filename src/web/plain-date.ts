/** Dates as people read them ("28 February 2027"), in pages and in sentences such as notifications. */

// Made once: building an Intl formatter costs far more than using one (toLocaleString builds one per call).
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

export function plainDate(value: Date | string): string {
  return DATE.format(new Date(value));
}
