/** Looking inside generated files with the tools a Debian machine has: unzip and poppler-utils. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function withTempFile<T>(bytes: Buffer, ext: string, fn: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-report-'));
  const file = path.join(dir, `report.${ext}`);
  fs.writeFileSync(file, bytes);
  try {
    return fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One part of a DOCX (a zip), e.g. word/document.xml. */
export const docxPart = (bytes: Buffer, part: string) =>
  withTempFile(bytes, 'docx', (file) => execFileSync('unzip', ['-p', file, part], { encoding: 'utf8' }));

/** The XML's text with the tags taken out (runs of one paragraph joined), for searching. */
export const xmlText = (xml: string) => xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');

export const pdfText = (bytes: Buffer) =>
  withTempFile(bytes, 'pdf', (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));

/** pdfinfo's fields, e.g. { Title: '…', Tagged: 'yes', Pages: '12' }. */
export const pdfInfo = (bytes: Buffer) =>
  withTempFile(bytes, 'pdf', (file) =>
    Object.fromEntries(
      execFileSync('pdfinfo', [file], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
    ),
  );

/** Page 1 as a PNG at `target` (a test artefact to look at). */
export const pdfFirstPagePng = (bytes: Buffer, target: string) =>
  withTempFile(bytes, 'pdf', (file) => {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      target.replace(/\.png$/, ''),
    ]);
    return target;
  });

/** The names of a DOCX's (a zip's) parts, e.g. word/media/image1.png. */
export const docxEntries = (bytes: Buffer) =>
  withTempFile(bytes, 'docx', (file) => execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n'));
