/**
 * A CSV scanner (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; CRLF, LF or CR
 * line ends) fed the text a piece at a time, handing out complete records a batch at a time, each with
 * the line it starts on. Written for indicator files of millions of rows: a general parser spends most
 * of its time on options and per-record events, and a caller that must let other requests run needs
 * to stop after a batch — and not decode a whole file in one go.
 */
export interface CsvRecord {
  /** The line the record starts on, the first line being 1. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

class UnclosedQuoteError extends CsvSyntaxError {}

/**
 * The most characters a record may span. A record still open at the end of the text given so far is
 * scanned again when the next piece comes, so without a bound one huge line costs time growing with the
 * square of its length; no indicator row comes near it.
 */
export const LONGEST_RECORD = 1 << 20;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class CsvScanner {
  /** The text not yet handed out (what is left of the last piece, then the new one). */
  private text = '';
  private at = 0;
  private line = 1;
  /** Whether the text given so far is the whole file. */
  private ended = false;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The next piece of the text; `last` when it ends the file. */
  push(piece: string, last: boolean): void {
    this.text = this.text.slice(this.at) + piece;
    this.at = 0;
    this.ended = last;
  }

  /**
   * Up to `limit` complete records of the text given so far; empty lines are skipped. Before the last
   * piece, a record that reaches the end of the text is kept back: the next piece may continue it.
   */
  next(limit: number): CsvRecord[] {
    const records: CsvRecord[] = [];
    while (records.length < limit && this.at < this.text.length) {
      const { at, line } = this;
      let record: CsvRecord | undefined;
      let complete: boolean;
      try {
        record = this.record();
        // A record (or empty line) ending with the text may go on in the next piece, or be the CR of a CRLF.
        complete = this.ended || this.at < this.text.length;
      } catch (error) {
        const mayCloseLater = error instanceof UnclosedQuoteError && this.text.length - at < LONGEST_RECORD;
        if (this.ended || !mayCloseLater) throw error;
        complete = false;
      }
      if (!complete) {
        if (this.text.length - at > LONGEST_RECORD)
          throw new CsvSyntaxError(
            `line ${line} is longer than ${LONGEST_RECORD.toLocaleString('en-GB')} characters, which no row of values is`,
          );
        this.at = at;
        this.line = line;
        break;
      }
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
      if (close < 0) throw new UnclosedQuoteError(`a quoted field that starts on line ${startLine} is never closed`);
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
