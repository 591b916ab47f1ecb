/**
 * The text of a stored file, for search and suggestions. TXT and CSV are read as they are; PDF through
 * pdf.js (its legacy build, which runs on Node 20); DOCX and XLSX by reading only the XML parts that
 * hold the text, capped against zip bombs. A file whose text cannot be read (damaged, encrypted, a bomb)
 * is an outcome, not an exception: it is stored and marked so.
 */
import type { FileType } from '../../files/file-types.js';
import { OFFICE_XML_CAP, readZipEntries } from '../../files/zip-entries.js';

export type Extraction = { status: 'done'; text: string } | { status: 'failed'; error: string } | { status: 'none' };

/** Text kept per file: enough for any real report, bounded for the search index (tsvector limit 1 MB). */
const TEXT_CAP = 900_000;

export async function extractText(type: FileType, bytes: Uint8Array): Promise<Extraction> {
  try {
    const text = await readText(type, bytes);
    return text === undefined ? { status: 'none' } : { status: 'done', text: tidy(text) };
  } catch (error) {
    return { status: 'failed', error: reasonOf(error) };
  }
}

async function readText(type: FileType, bytes: Uint8Array): Promise<string | undefined> {
  switch (type) {
    case 'txt':
    case 'csv':
      return Buffer.from(bytes).toString('utf8');
    case 'pdf':
      return pdfText(bytes);
    case 'docx':
      return docxText(bytes);
    case 'xlsx':
      return xlsxText(bytes);
    case 'png':
    case 'jpeg':
      return undefined;
  }
}

function tidy(text: string): string {
  const clean = text.replaceAll('\u0000', '').replace(/[ \t]+/g, ' ');
  return clean.length > TEXT_CAP ? clean.slice(0, TEXT_CAP) : clean;
}

function reasonOf(error: unknown): string {
  const name = (error as Error)?.name;
  if (name === 'PasswordException') return 'the PDF is password-protected';
  if (name === 'InvalidPDFException') return 'the PDF is damaged';
  if (name === 'ZipLimitError') return (error as Error).message;
  return `the file could not be read (${(error as Error)?.message ?? 'unknown error'})`;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (and detaches) the buffer it is given: hand it a copy. Since pdf.js 6 it never
  // compiles code from a PDF (the isEvalSupported switch is gone with the code it guarded).
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const pdf = await task.promise;
  try {
    const pages: string[] = [];
    let length = 0;
    for (let n = 1; n <= pdf.numPages && length < TEXT_CAP; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('');
      pages.push(text);
      length += text.length;
      page.cleanup();
    }
    return pages.join('\n\f\n');
  } finally {
    await task.destroy();
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function xmlText(xml: string): string {
  return xml.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

const decode = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : '');

function docxText(bytes: Uint8Array): string {
  const entries = readZipEntries(bytes, (name) => name === 'word/document.xml', OFFICE_XML_CAP);
  const xml = decode(entries.get('word/document.xml'));
  // Paragraph and line breaks become new lines, tabs spaces; everything else is markup.
  return xmlText(xml.replace(/<\/w:p>|<w:br\s*\/>/g, '\n').replace(/<w:tab\s*\/>/g, ' '));
}

function xlsxText(bytes: Uint8Array): string {
  const entries = readZipEntries(
    bytes,
    (name) => name === 'xl/sharedStrings.xml' || /^xl\/worksheets\/sheet\d+\.xml$/.test(name),
    OFFICE_XML_CAP,
  );
  const shared = decode(entries.get('xl/sharedStrings.xml'));
  const strings = [...shared.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => xmlText(m[1]!));
  const cells: string[] = [];
  for (const [name, sheet] of entries) {
    if (name === 'xl/sharedStrings.xml') continue;
    // Numbers and inline strings live in the sheets; shared strings are referenced by index.
    for (const m of decode(sheet).matchAll(/<c\b([^>]*)>([\s\S]*?)<\/c>/g)) {
      const value = /<v>([\s\S]*?)<\/v>/.exec(m[2]!)?.[1];
      if (/t="s"/.test(m[1]!)) continue;
      const inline = /<is>([\s\S]*?)<\/is>/.exec(m[2]!)?.[1];
      if (inline !== undefined) cells.push(xmlText(inline));
      else if (value !== undefined) cells.push(xmlText(value));
    }
  }
  return [...strings, ...cells].join('\n');
}
