/**
 * Reading an indicator file into raw rows: CSV (long format, one value per row) or XLSX (the first
 * sheet). What spreadsheet programs do to CSV is handled here: a UTF-8 byte-order mark, CRLF line ends,
 * blank lines and blank trailing columns, and the semicolon-separated files that Excel writes where the
 * comma is the decimal separator (then "12,5" means 12.5). Anything else that is not UTF-8 is refused.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { readSheet } from 'read-excel-file/node';
import { AppError } from '../../errors.js';
import { yieldToEventLoop } from './indicators.recompute.js';

export const COLUMNS = ['organisation', 'indicator', 'period', 'value', 'quality'] as const;
type Column = (typeof COLUMNS)[number];
/** Header names accepted for each column (compared lower-case, spaces and dashes as underscores). */
const HEADER_NAMES: Record<Column, string[]> = {
  organisation: ['organisation', 'organisation_code', 'organization', 'organization_code', 'org', 'org_code'],
  indicator: ['indicator', 'indicator_code'],
  period: ['period'],
  value: ['value'],
  quality: ['quality', 'data_quality', 'flag'],
};

export interface RawRow {
  /** The line (CSV) or row (XLSX) number a person sees in their editor, the header being 1. */
  line: number;
  organisation: string;
  indicator: string;
  period: string;
  value: string | number;
  quality: string;
  /** The decimal separator the file's values use. */
  decimalComma: boolean;
}

export const fileRefused = (message: string) =>
  new AppError('indicator_file_refused', 400, message, [{ field: 'file', message }]);

function columnsOf(header: readonly unknown[]): Map<Column, number> {
  const normalised = header.map((h) =>
    String(h ?? '')
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const found = new Map<Column, number>();
  for (const column of COLUMNS) {
    const index = normalised.findIndex((h) => HEADER_NAMES[column].includes(h));
    if (index >= 0) found.set(column, index);
  }
  const missing = COLUMNS.filter((c) => c !== 'quality' && !found.has(c));
  if (missing.length > 0)
    throw fileRefused(
      `The first row must name the columns organisation_code, indicator_code, period, value (and optionally quality); missing: ${missing.join(', ')}`,
    );
  return found;
}

function rowFrom(cells: readonly unknown[], line: number, columns: Map<Column, number>, decimalComma: boolean): RawRow {
  const cell = (c: Column) => {
    const index = columns.get(c);
    const value = index === undefined ? '' : cells[index];
    return value === null || value === undefined ? '' : value;
  };
  const value = cell('value');
  return {
    line,
    organisation: String(cell('organisation')).trim(),
    indicator: String(cell('indicator')).trim(),
    period: String(cell('period')).trim(),
    value: typeof value === 'number' ? value : String(value).trim(),
    quality: String(cell('quality')).trim(),
    decimalComma,
  };
}

const isBlank = (cells: readonly unknown[]) =>
  cells.every((c) => c === null || c === undefined || String(c).trim() === '');

/** The separator of the header line: a semicolon or tab when it has those and no comma. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  if (!header.includes(',') && header.includes(';')) return ';';
  if (!header.includes(',') && header.includes('\t')) return '\t';
  return ',';
}

const CHUNK = 64 * 1024;

export async function readCsv(buffer: Buffer): Promise<RawRow[]> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, 4096));
  if (text.includes('\uFFFD') || buffer.includes(0))
    throw fileRefused('The file is not UTF-8 text: save it from your spreadsheet as "CSV UTF-8"');
  const delimiter = delimiterOf(text.replace(/^\uFEFF/, ''));
  // Fed in small chunks, so a large file is parsed between other requests rather than in one block.
  const chunks = function* () {
    for (let at = 0; at < buffer.length; at += CHUNK) yield buffer.subarray(at, at + CHUNK);
  };
  const parser = Readable.from(chunks()).pipe(
    parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  const rows: RawRow[] = [];
  let columns: Map<Column, number> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = columnsOf(record);
        continue;
      }
      if (isBlank(record)) continue;
      rows.push(rowFrom(record, info.lines, columns, delimiter === ';'));
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fileRefused(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (!columns) throw fileRefused('The file is empty');
  return rows;
}

export async function readXlsx(buffer: Buffer): Promise<RawRow[]> {
  let sheet: unknown[][];
  try {
    sheet = (await readSheet(buffer)) as unknown[][];
  } catch (error) {
    throw fileRefused(`The file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const [header, ...body] = sheet;
  if (!header) throw fileRefused('The workbook’s first sheet is empty');
  const columns = columnsOf(header);
  const rows: RawRow[] = [];
  for (let i = 0; i < body.length; i++) {
    if (!isBlank(body[i]!)) rows.push(rowFrom(body[i]!, i + 2, columns, false));
    if (i % 20_000 === 0) await yieldToEventLoop();
  }
  return rows;
}

/** XLSX by its zip signature (whatever the file is called), otherwise CSV. */
export function readIndicatorFile(buffer: Buffer): Promise<RawRow[]> {
  const zip = buffer.length > 3 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03;
  return zip ? readXlsx(buffer) : readCsv(buffer);
}
