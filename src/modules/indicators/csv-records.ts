/**
 * A CSV scanner (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; CRLF, LF or CR
 * line ends) that hands out records a batch at a time, each with the line it starts on. Written for
 * indicator files of millions of rows: a general parser spends most of its time on options and
 * per-record events, and a caller that must let other requests run needs to stop after a batch.
 */
export interface CsvRecord {
  /** The line the record starts on, the first line being 1. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class CsvScanner {
  private at = 0;
  private line = 1;
  private readonly delimiter: number;

  constructor(
    private readonly text: string,
    delimiter: string,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  get done(): boolean {
    return this.at >= this.text.length;
  }

  /** How far through the text the scanner is, from 0 to 1. */
  get progress(): number {
    return this.text.length === 0 ? 1 : this.at / this.text.length;
  }

  /** Up to `limit` records; empty lines are skipped. */
  next(limit: number): CsvRecord[] {
    const records: CsvRecord[] = [];
    while (records.length < limit && !this.done) {
      const record = this.record();
      if (record) records.push(record);
    }
    return records;
  }

  /** One record, or undefined for an empty line. */
  private record(): CsvRecord | undefined {
    const { text } = this;
    const line = this.line;
    if (this.endOfLine()) return undefined;
    const fields: string[] = [];
    for (;;) {
      fields.push(text.charCodeAt(this.at) === QUOTE ? this.quoted() : this.plain());
      if (this.at >= text.length) return { line, fields };
      if (text.charCodeAt(this.at) === this.delimiter) {
        this.at++;
        if (this.at >= text.length) {
          fields.push('');
          return { line, fields };
        }
        continue;
      }
      this.endOfLine();
      return { line, fields };
    }
  }

  /** Steps over a line end at the cursor, if there is one. */
  private endOfLine(): boolean {
    const code = this.text.charCodeAt(this.at);
    if (code === LF) this.at++;
    else if (code === CR) this.at += this.text.charCodeAt(this.at + 1) === LF ? 2 : 1;
    else return false;
    this.line++;
    return true;
  }

  private plain(): string {
    const { text, delimiter } = this;
    const start = this.at;
    let at = start;
    for (; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === delimiter || code === LF || code === CR) break;
    }
    this.at = at;
    return text.slice(start, at);
  }

  private quoted(): string {
    const { text } = this;
    const startLine = this.line;
    let value = '';
    let from = this.at + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0) throw new CsvSyntaxError(`a quoted field that starts on line ${startLine} is never closed`);
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += '"';
        from = close + 2;
        continue;
      }
      this.line += countLineEnds(text, this.at, close);
      this.at = close + 1;
      break;
    }
    const next = text.charCodeAt(this.at);
    if (this.at < text.length && next !== this.delimiter && next !== LF && next !== CR)
      throw new CsvSyntaxError(`line ${this.line} has text after the closing quote of a field`);
    return value;
  }
}

/** Line ends (CRLF counting once) between two offsets. */
function countLineEnds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code === LF) count++;
    else if (code === CR && text.charCodeAt(at + 1) !== LF) count++;
  }
  return count;
}
