/**
 * CSV that spreadsheets open safely (RFC 4180, OWASP's CSV injection advice). Every field holding a quote,
 * comma, CR or LF is quoted, so a multi-line note stays one cell of one row; a cell starting with =, +, -, @,
 * tab or CR gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of
 * running it as a formula (=HYPERLINK(…), @SUM(…)). Numbers are left as numbers.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | null | undefined;

/** Neutralises a text cell a spreadsheet would read as a formula. */
export const neutraliseFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * The header row and the rows as CSV with CRLF line ends; null and undefined are empty cells. `bom` starts the
 * file with a UTF-8 byte-order mark, which Excel needs to read non-ASCII text as UTF-8.
 */
export function spreadsheetCsv(
  columns: readonly string[],
  rows: readonly CsvCell[][],
  options: { bom?: boolean } = {},
) {
  return stringify([[...columns], ...rows.map((row) => row.map((cell) => cell ?? ''))], {
    bom: options.bom ?? false,
    record_delimiter: '\r\n',
    // csv-stringify quotes a field holding the record delimiter (CRLF) but not a bare LF or CR, which every
    // CSV reader takes as the end of the row.
    quoted_match: /[\r\n]/,
    cast: { string: neutraliseFormula },
  });
}
