/**
 * Small real files made on the spot for tests and bench/evidence-search.mjs (so built with the app): a one-page PDF with text, a DOCX and
 * an XLSX (zip archives with the right [Content_Types].xml), and a few malicious shapes.
 */
import { strToU8, zipSync } from 'fflate';

/** A valid one-page PDF whose page shows `text` (one line per \n), with a correct cross-reference table. */
export function makePdf(text: string): Buffer {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const lines = text.split('\n').map((line, i) => `BT /F1 12 Tf 50 ${750 - i * 16} Td (${escape(line)}) Tj ET`);
  const content = lines.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CONTENT_TYPES = (main: string, part: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/><Override PartName="${part}" ContentType="${main}"/></Types>`;

/** A minimal Word document: one paragraph per line. */
export function makeDocx(text: string): Buffer {
  const paragraphs = text
    .split('\n')
    .map((line) => `<w:p><w:r><w:t>${xmlEscape(line)}</w:t></w:r></w:p>`)
    .join('');
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        CONTENT_TYPES(
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
          '/word/document.xml',
        ),
      ),
      'word/document.xml': strToU8(
        `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
      ),
    }),
  );
}

/** A minimal workbook: the cells as shared strings on one sheet, one row per entry. */
export function makeXlsx(cells: string[]): Buffer {
  const shared = cells.map((c) => `<si><t>${xmlEscape(c)}</t></si>`).join('');
  const rows = cells.map((_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`).join('');
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        CONTENT_TYPES('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', '/xl/workbook.xml'),
      ),
      'xl/workbook.xml': strToU8('<?xml version="1.0"?><workbook/>'),
      'xl/sharedStrings.xml': strToU8(`<?xml version="1.0"?><sst>${shared}</sst>`),
      'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0"?><worksheet><sheetData>${rows}</sheetData></worksheet>`),
    }),
  );
}

/** A DOCX whose document.xml inflates to `megabytes` MB of spaces from a few kilobytes: a zip bomb. */
export function makeZipBombDocx(megabytes: number): Buffer {
  // Compressing tens of megabytes takes a second or two: make each size once per process.
  const made = bombs.get(megabytes);
  if (made) return made;
  const huge = new Uint8Array(megabytes * 1024 * 1024).fill(0x20);
  const bomb = Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        CONTENT_TYPES(
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
          '/word/document.xml',
        ),
      ),
      'word/document.xml': huge,
    }),
  );
  bombs.set(megabytes, bomb);
  return bomb;
}
const bombs = new Map<number, Buffer>();

/** The first bytes of a Windows executable (MZ header), enough for any sniffer. */
export function makeExe(): Buffer {
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'latin1');
  bytes.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return bytes;
}

/** A tiny valid PNG (1×1). */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function xmlEscape(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}
