import { describe, expect, it } from 'vitest';
import { CsvScanner } from '../modules/indicators/csv-records.js';
import { spreadsheetCsv } from './spreadsheet-csv.js';

/** Reads CSV as a spreadsheet or Python's csv module does (RFC 4180). */
function read(text: string): string[][] {
  const scanner = new CsvScanner(',');
  scanner.push(text.replace(/^\uFEFF/, ''), true);
  return scanner.next(1000).map((record) => record.fields);
}

describe('CSV for spreadsheets', () => {
  it('keeps a cell with line breaks (LF, CR or CRLF) as one cell of one row', () => {
    const text = spreadsheetCsv(
      ['ref', 'note'],
      [
        ['4.1', 'first line\nsecond line'],
        ['4.2', 'old Mac\rline'],
        ['4.3', 'windows\r\nline'],
      ],
    );
    expect(read(text)).toEqual([
      ['ref', 'note'],
      ['4.1', 'first line\nsecond line'],
      ['4.2', 'old Mac\rline'],
      ['4.3', 'windows\r\nline'],
    ]);
  });

  it('turns cells a spreadsheet would run as formulas into text, and leaves numbers and other text alone', () => {
    const formulas = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'];
    const rows = read(spreadsheetCsv(['a', 'b', 'c', 'd', 'e', 'f'], [formulas, ['plain', -3, 2.5, null, 'a=b', '']]));
    expect(rows[1]).toEqual(formulas.map((f) => `'${f}`));
    expect(rows[2]).toEqual(['plain', '-3', '2.5', '', 'a=b', '']);
  });

  it('starts with a byte-order mark when asked, for Excel', () => {
    expect(spreadsheetCsv(['a'], [], { bom: true })).toBe('\uFEFFa\r\n');
    expect(spreadsheetCsv(['a'], [])).toBe('a\r\n');
  });
});
