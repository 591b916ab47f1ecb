/**
 * What a file really is, from its bytes: the browser's claimed type and the file's extension are never
 * trusted (a renamed executable stays an executable). Office files are zip archives, told apart by the
 * main part their [Content_Types].xml declares; CSV and TXT are valid UTF-8 without NUL bytes.
 */
import { readZipEntries, ZipLimitError } from './zip-entries.js';

export const FILE_TYPES = ['pdf', 'docx', 'xlsx', 'csv', 'txt', 'png', 'jpeg'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export const MEDIA_TYPES: Record<FileType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  txt: 'text/plain',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

export const TYPE_LABELS: Record<FileType, string> = {
  pdf: 'PDF',
  docx: 'Word (DOCX)',
  xlsx: 'Excel (XLSX)',
  csv: 'CSV',
  txt: 'plain text',
  png: 'PNG image',
  jpeg: 'JPEG image',
};

export const fileTypeOf = (mediaType: string): FileType | undefined =>
  FILE_TYPES.find((type) => MEDIA_TYPES[type] === mediaType);

/** [Content_Types].xml is a few kilobytes; anything much larger is not an Office file we read. */
const CONTENT_TYPES_CAP = 1024 * 1024;

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

export type Sniffed = { type: FileType } | { type: undefined; reason: string };

/** The file's type from its bytes; `name` only decides between CSV and plain text. */
export function sniffFileType(bytes: Uint8Array, name: string): Sniffed {
  if (bytes.length === 0) return { type: undefined, reason: 'is empty' };
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { type: 'pdf' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { type: 'jpeg' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffOffice(bytes);
  // Windows (MZ) and Unix (ELF) programs, before the text test: their first bytes are printable.
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) {
    return { type: undefined, reason: 'is a program, not a document' };
  }
  if (isUtf8Text(bytes)) return { type: /\.csv$/i.test(name) ? 'csv' : 'txt' };
  return { type: undefined, reason: 'is not a PDF, Word, Excel, CSV, text, PNG or JPEG file' };
}

function sniffOffice(bytes: Uint8Array): Sniffed {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZipEntries(bytes, (name) => name === '[Content_Types].xml', CONTENT_TYPES_CAP);
  } catch (error) {
    const why = error instanceof ZipLimitError ? error.message : 'the archive is damaged';
    return { type: undefined, reason: `is a zip archive that cannot be read (${why})` };
  }
  const xml = entries.get('[Content_Types].xml');
  if (!xml) return { type: undefined, reason: 'is a zip archive, not a Word or Excel document' };
  const text = Buffer.from(xml).toString('utf8');
  if (text.includes('wordprocessingml.document.main+xml')) return { type: 'docx' };
  if (text.includes('spreadsheetml.sheet.main+xml')) return { type: 'xlsx' };
  return { type: undefined, reason: 'is an Office file of a kind not accepted (only DOCX and XLSX)' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text holds no control characters but tab, line feed, form feed and carriage return. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

function isUtf8Text(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 && !TEXT_CONTROLS.has(byte)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
