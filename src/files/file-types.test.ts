import { describe, expect, it } from 'vitest';
import { sniffFileType } from './file-types.js';
import { makeDocx, makeExe, makePdf, makeXlsx, makeZipBombDocx, PNG_1X1 } from './sample-files.js';
import { strToU8, zipSync } from 'fflate';

describe('sniffFileType', () => {
  it('tells each accepted type from its bytes, whatever the name says', () => {
    expect(sniffFileType(makePdf('x'), 'a.docx').type).toBe('pdf');
    expect(sniffFileType(makeDocx('x'), 'a.pdf').type).toBe('docx');
    expect(sniffFileType(makeXlsx(['x']), 'a.txt').type).toBe('xlsx');
    expect(sniffFileType(PNG_1X1, 'a.jpg').type).toBe('png');
    expect(sniffFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'a.png').type).toBe('jpeg');
    expect(sniffFileType(Buffer.from('a,b\n1,2\n'), 'data.CSV').type).toBe('csv');
    expect(sniffFileType(Buffer.from('Notes — café'), 'notes').type).toBe('txt');
  });

  it('refuses a renamed executable, binary junk, invalid UTF-8 and an empty file', () => {
    expect(sniffFileType(makeExe(), 'report.pdf')).toEqual({ type: undefined, reason: 'is a program, not a document' });
    expect(sniffFileType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 'x.txt').type).toBeUndefined();
    expect(sniffFileType(Buffer.from([0x61, 0xc3, 0x28]), 'x.txt').type).toBeUndefined();
    expect(sniffFileType(Buffer.from('text\0with nul'), 'x.txt').type).toBeUndefined();
    expect(sniffFileType(Buffer.alloc(0), 'x.txt')).toEqual({ type: undefined, reason: 'is empty' });
  });

  it('refuses zip archives that are not DOCX or XLSX, and damaged ones', () => {
    const plainZip = Buffer.from(zipSync({ 'a.txt': strToU8('hello') }));
    expect(sniffFileType(plainZip, 'a.docx').type).toBeUndefined();
    const macro = Buffer.from(
      zipSync({
        '[Content_Types].xml': strToU8(
          '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        ),
      }),
    );
    expect(sniffFileType(macro, 'a.docx').type).toBeUndefined();
    expect(sniffFileType(makeDocx('x').subarray(0, 40), 'a.docx').type).toBeUndefined();
  });

  it('reads only [Content_Types].xml of a zip bomb, so it sniffs without inflating the bomb', () => {
    expect(sniffFileType(makeZipBombDocx(70), 'bomb.docx').type).toBe('docx');
  });
});
