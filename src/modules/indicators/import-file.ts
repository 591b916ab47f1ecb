/**
 * Reading an indicator file into raw rows: CSV (long format, one value per row) or XLSX (the first
 * sheet). What spreadsheet programs do to CSV is handled here: a UTF-8 byte-order mark, CRLF line ends,
 * blank lines and blank trailing columns, and the semicolon-separated files that Excel writes where the
 * comma is the decimal separator (then "12,5" means 12.5). Anything else that is not UTF-8 is refused.
 */
import { runJob, workerEntry, type JobLimits } from '../../concurrency/worker-job.js';
import { AppError } from '../../errors.js';
import { OFFICE_XML_CAP } from '../../files/zip-entries.js';
import { CsvScanner, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import type { XlsxJob } from './xlsx-worker.js';

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

/** Most records in one batch: enough to check efficiently, few enough not to hold the event loop long. */
export const ROWS_PER_BATCH = 2_000;
/** Bytes decoded at a time: decoding a whole large file at once would hold the event loop. */
const PIECE_BYTES = 64 * 1024;

export interface FileBatch {
  rows: RawRow[];
  /** How far through the file, from 0 to 1. */
  progress: number;
}

const notUtf8 = () => fileRefused('The file is not UTF-8 text: save it from your spreadsheet as "CSV UTF-8"');

async function* readCsv(buffer: Buffer): AsyncGenerator<FileBatch> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let scanner: CsvScanner | undefined;
  let decimalComma = false;
  let columns: Map<Column, number> | undefined;
  for (let at = 0; at < buffer.length || !scanner; at += PIECE_BYTES) {
    const last = at + PIECE_BYTES >= buffer.length;
    let piece: string;
    try {
      piece = decoder.decode(buffer.subarray(at, at + PIECE_BYTES), { stream: !last });
    } catch {
      throw notUtf8();
    }
    if (piece.includes('\0')) throw notUtf8();
    if (!scanner) {
      piece = piece.replace(/^\uFEFF/, '');
      const delimiter = delimiterOf(piece);
      decimalComma = delimiter === ';';
      scanner = new CsvScanner(delimiter);
    }
    scanner.push(piece, last);
    for (;;) {
      let records: CsvRecord[];
      try {
        records = scanner.next(ROWS_PER_BATCH);
      } catch (error) {
        if (error instanceof CsvSyntaxError) throw fileRefused(`The file is not valid CSV: ${error.message}`);
        throw error;
      }
      if (records.length === 0) break;
      const rows: RawRow[] = [];
      for (const { line, fields } of records) {
        if (!columns) columns = columnsOf(fields);
        else if (!isBlank(fields)) rows.push(rowFrom(fields, line, columns, decimalComma));
      }
      yield { rows, progress: Math.min(1, (at + PIECE_BYTES) / buffer.length) };
    }
  }
  if (!columns) throw fileRefused('The file is empty');
}

export interface XlsxLimits extends JobLimits {
  /** The workbook unzips to at most this much (the same cap as evidence files' text). */
  inflatedBytes: number;
}

/**
 * A workbook of a million values reads in well under a minute. A hostile one (150 MB of XML in 155 KB)
 * stalled the server for 49 s and took 1.5 GB when it was read on the event loop; now it is refused at the cap.
 */
export const XLSX_LIMITS: XlsxLimits = { inflatedBytes: OFFICE_XML_CAP, timeoutMs: 120_000, memoryMb: 1024 };

const XLSX_WORKER = workerEntry(import.meta.url, 'xlsx-worker');

/** The first sheet's rows, read in a worker thread (xlsx-worker.ts) under the limits. */
async function sheetOf(buffer: Buffer, limits: XlsxLimits): Promise<unknown[][]> {
  const job: XlsxJob = { bytes: buffer, inflatedBytes: limits.inflatedBytes };
  const outcome = await runJob<unknown[][]>(XLSX_WORKER, job, limits);
  if (outcome.ok) return outcome.value;
  const reason = {
    timeout: `it takes longer than ${limits.timeoutMs / 1000} s to read`,
    memory: `it needs more than ${limits.memoryMb} MB of memory to read`,
  };
  throw fileRefused(
    `The file is not a readable XLSX workbook: ${outcome.reason === 'error' ? outcome.error.message : reason[outcome.reason]}`,
  );
}

async function* readXlsx(buffer: Buffer, limits: XlsxLimits): AsyncGenerator<FileBatch> {
  const sheet = await sheetOf(buffer, limits);
  const [header, ...body] = sheet;
  if (!header) throw fileRefused('The workbook’s first sheet is empty');
  const columns = columnsOf(header);
  for (let at = 0; at < body.length; at += ROWS_PER_BATCH) {
    const rows: RawRow[] = [];
    for (let i = at; i < Math.min(at + ROWS_PER_BATCH, body.length); i++)
      if (!isBlank(body[i]!)) rows.push(rowFrom(body[i]!, i + 2, columns, false));
    yield { rows, progress: Math.min(at + ROWS_PER_BATCH, body.length) / body.length };
  }
}

/**
 * The file's rows a batch at a time (the caller pauses between batches so other requests run): XLSX by
 * its zip signature (whatever the file is called), otherwise CSV.
 */
export function readIndicatorFile(buffer: Buffer, limits = XLSX_LIMITS): AsyncGenerator<FileBatch> {
  const zip = buffer.length > 3 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03;
  return zip ? readXlsx(buffer, limits) : readCsv(buffer);
}
