/**
 * Checking a batch of uploaded files before anything is kept: every file's real type (from its bytes)
 * must be allowed and its size within the limit, its name is sanitised. One bad file refuses the whole
 * batch, naming each bad file. The files are on disk (upload-files.ts) and read one at a time.
 */
import { fileTooLarge } from '../../files/file-too-large.js';
import { readFile } from 'node:fs/promises';
import type { FieldProblem } from '../../errors.js';
import { filesRefused } from './evidence.errors.js';
import { sanitiseFileName } from '../../files/file-names.js';
import { MEDIA_TYPES, sniffFileType, TYPE_LABELS, type FileType } from '../../files/file-types.js';
import type { Upload } from '../../files/upload-files.js';

export type { Upload } from '../../files/upload-files.js';

export interface CheckedUpload extends Upload {
  type: FileType;
  mediaType: string;
}

export async function checkUploads(
  uploads: Upload[],
  limits: { maxBytes: number; types: readonly FileType[] },
): Promise<CheckedUpload[]> {
  const problems: FieldProblem[] = [];
  const checked: CheckedUpload[] = [];
  for (const upload of uploads) {
    const name = sanitiseFileName(upload.name);
    if (upload.size > limits.maxBytes) throw fileTooLarge(limits.maxBytes);
    const sniffed = sniffFileType(await readFile(upload.path), name);
    if (!sniffed.type) {
      problems.push({ field: 'files', message: `${name} ${sniffed.reason}` });
    } else if (!limits.types.includes(sniffed.type)) {
      const allowed = limits.types.map((t) => TYPE_LABELS[t]).join(', ');
      problems.push({
        field: 'files',
        message: `${name} is a ${TYPE_LABELS[sniffed.type]} file, which is not accepted (accepted: ${allowed})`,
      });
    } else {
      checked.push({ ...upload, name, type: sniffed.type, mediaType: MEDIA_TYPES[sniffed.type] });
    }
  }
  if (problems.length > 0) throw filesRefused(problems);
  return checked;
}
