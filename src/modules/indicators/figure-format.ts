/**
 * Indicator figures as people read them, with a precision that suits the unit: a percentage to one decimal
 * (67.9), money to pence below £100 and to the pound above, other measures to about four significant figures,
 * thousands grouped (1,583,984). Only for showing: CSV and JSON downloads keep every digit.
 */
const formats = new Map<string, Intl.NumberFormat>();
function format(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let made = formats.get(key);
  if (!made) formats.set(key, (made = new Intl.NumberFormat('en-GB', options)));
  return made;
}

const isPercent = (unit: string) => /^\s*(%|per ?cent(age)?\b)/i.test(unit);
const isMoney = (unit: string) => /[£$€]/.test(unit);

function optionsFor(value: number, unit: string): Intl.NumberFormatOptions {
  const size = Math.abs(value);
  if (isPercent(unit)) return { maximumFractionDigits: 1 };
  if (isMoney(unit))
    return size >= 100 ? { maximumFractionDigits: 0 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  if (size >= 1000) return { maximumFractionDigits: 0 };
  if (size >= 100) return { maximumFractionDigits: 1 };
  if (size >= 1 || size === 0) return { maximumFractionDigits: 2 };
  return { maximumSignificantDigits: 3 };
}

/** The figure for showing, or an empty string for no value. */
export function formatFigure(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return format(optionsFor(value, unit)).format(value);
}
