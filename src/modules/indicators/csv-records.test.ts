import { describe, expect, it } from 'vitest';
import { CsvScanner, CsvSyntaxError, LONGEST_RECORD } from './csv-records.js';

const all = (text: string, delimiter = ',') => {
  const scanner = new CsvScanner(delimiter);
  scanner.push(text, true);
  return scanner.next(Number.MAX_SAFE_INTEGER);
};

/** The records of the text given in two pieces, cut at `cut`. */
function inTwoPieces(text: string, cut: number) {
  const scanner = new CsvScanner(',');
  scanner.push(text.slice(0, cut), false);
  const records = scanner.next(Number.MAX_SAFE_INTEGER);
  scanner.push(text.slice(cut), true);
  return [...records, ...scanner.next(Number.MAX_SAFE_INTEGER)];
}

describe('CsvScanner', () => {
  it('splits records on LF, CRLF and CR, numbering lines from 1 and skipping empty lines', () => {
    expect(all('a,b\r\n1,2\n\n3,4\r5,6')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
      { line: 5, fields: ['5', '6'] },
    ]);
  });

  it('keeps empty fields, a trailing delimiter included', () => {
    expect(all('a,,c,\n,\n')).toEqual([
      { line: 1, fields: ['a', '', 'c', ''] },
      { line: 2, fields: ['', ''] },
    ]);
    expect(all('x,')).toEqual([{ line: 1, fields: ['x', ''] }]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, counting the lines they span', () => {
    expect(all('"12,5","say ""hi""","two\r\nlines"\nnext,"",end')).toEqual([
      { line: 1, fields: ['12,5', 'say "hi"', 'two\r\nlines'] },
      { line: 3, fields: ['next', '', 'end'] },
    ]);
  });

  it('uses the delimiter it is given', () => {
    expect(all('a;b,c\t1', ';')).toEqual([{ line: 1, fields: ['a', 'b,c\t1'] }]);
    expect(all('a;b,c\t1', '\t')).toEqual([{ line: 1, fields: ['a;b,c', '1'] }]);
  });

  it('hands out at most the records asked for', () => {
    const scanner = new CsvScanner(',');
    scanner.push('1\n2\n3\n', true);
    expect(scanner.next(2).map((r) => r.fields[0])).toEqual(['1', '2']);
    expect(scanner.next(2).map((r) => r.fields[0])).toEqual(['3']);
    expect(scanner.next(2)).toEqual([]);
  });

  it('reads the same records wherever the text is cut into pieces', () => {
    const text = 'a,b\r\n"x,""y""\r\nz",2\r\n\r\n3,"4"\r5,6';
    const whole = all(text);
    for (let cut = 0; cut <= text.length; cut++) expect(inTwoPieces(text, cut)).toEqual(whole);
  });

  it('keeps back a record that reaches the end of a piece until the next piece or the end', () => {
    const scanner = new CsvScanner(',');
    scanner.push('1,2\n3,', false);
    expect(scanner.next(10)).toEqual([{ line: 1, fields: ['1', '2'] }]);
    scanner.push('4', false);
    expect(scanner.next(10)).toEqual([]);
    scanner.push('', true);
    expect(scanner.next(10)).toEqual([{ line: 2, fields: ['3', '4'] }]);
  });

  it('refuses a quote that is never closed, or text after a closing quote, naming the line', () => {
    expect(() => all('a,b\n1,"open\n2,3\n')).toThrow(
      new CsvSyntaxError('a quoted field that starts on line 2 is never closed'),
    );
    expect(() => all('a,b\n"x"y,2\n')).toThrow(
      new CsvSyntaxError('line 2 has text after the closing quote of a field'),
    );
  });

  it('refuses an unquoted line longer than the bound while it is still arriving, not after reading it all', () => {
    const scanner = new CsvScanner(',');
    scanner.push('a,b\n', false);
    const piece = 'x'.repeat(64 * 1024);
    let pieces = 0;
    const feed = () => {
      // Twice the bound at most, so a scanner without one fails here rather than reading on.
      while (pieces * piece.length < 2 * LONGEST_RECORD) {
        scanner.push(piece, false);
        pieces++;
        scanner.next(10);
      }
    };
    expect(feed).toThrow(new CsvSyntaxError(`line 2 is longer than 1,048,576 characters, which no row of values is`));
    // Refused as soon as the held-back line passed the bound: the rest of a 50 MB line is never read.
    expect(pieces).toBe(Math.floor(LONGEST_RECORD / piece.length) + 1);
  });
});
