import { describe, expect, it } from 'vitest';
import { attachmentHeader, sanitiseFileName } from './file-names.js';

describe('sanitiseFileName', () => {
  it('keeps only the last path segment, whichever the separator', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('..\\..\\windows\\system.ini')).toBe('system.ini');
    expect(sanitiseFileName('/abs/path/report.pdf')).toBe('report.pdf');
  });

  it('drops control, bidirectional-override and reserved characters and leading dots', () => {
    expect(sanitiseFileName('re\u0000po\u0007rt\r\n.pdf')).toBe('report.pdf');
    expect(sanitiseFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitiseFileName('a<b>c:d"e|f?g*.txt')).toBe('abcdefg.txt');
    expect(sanitiseFileName('.htaccess')).toBe('htaccess');
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName('')).toBe('file');
  });

  it('shortens long names but keeps the extension', () => {
    const name = sanitiseFileName(`${'x'.repeat(300)}.docx`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.docx')).toBe(true);
  });
});

describe('attachmentHeader', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentHeader('plan «v2».pdf')).toBe(
      `attachment; filename="plan _v2_.pdf"; filename*=UTF-8''plan%20%C2%ABv2%C2%BB.pdf`,
    );
    expect(attachmentHeader('a"b\\c.txt')).toMatch(/^attachment; filename="a_b_c.txt"/);
  });
});
