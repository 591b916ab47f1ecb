/**
 * The date filters of the audit trail are UK calendar days, because pages show times in UK time: an
 * entry shown as "1 July 2026, 00:30" must be found by "from 2026-07-01", though it is 30 June in UTC.
 */

const londonOffset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });

/** Minutes London is ahead of UTC at an instant: 0 (GMT) or 60 (BST). */
function londonOffsetMinutes(at: Date): number {
  const name = londonOffset.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  if (!match) return 0; // plain "GMT"
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * The instant a UK day (YYYY-MM-DD) begins. The clocks change at 01:00 UTC, so the offset in force at
 * 00:00 UTC of that date is the one in force at its local midnight.
 */
export function ukDayStart(isoDate: string): Date {
  const utcMidnight = new Date(`${isoDate}T00:00:00.000Z`);
  return new Date(utcMidnight.getTime() - londonOffsetMinutes(utcMidnight) * 60_000);
}

/** The instant the UK day after `isoDate` begins: the exclusive end of a "to" date. */
export function ukDayEnd(isoDate: string): Date {
  const next = new Date(`${isoDate}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return ukDayStart(next.toISOString().slice(0, 10));
}
