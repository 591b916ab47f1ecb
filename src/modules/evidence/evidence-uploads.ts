/**
 * Checking a batch of uploaded files before anything is kept: every file's real type (from its bytes)
 * must be allowed and its size within the limit, its name is sanitised, its SHA-256 computed. One bad
 * file refuses the whole batch, naming each bad file.
 */
import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../errors.js';
import { fileTooLarge, filesRefused } from './evidence.errors.js';
import { sanitiseFileName } from './file-names.js';
import { MEDIA_TYPES, sniffFileType, TYPE_LABELS, type FileType } from './file-types.js';

export interface Upload {
  /** The name the client sent (untrusted). */
  name: string;
  bytes: Buffer;
}

export interface CheckedUpload {
  name: string;
  bytes: Buffer;
  type: FileType;
  mediaType: string;
  sha256: string;
}

export function checkUploads(
  uploads: Upload[],
  limits: { maxBytes: number; types: readonly FileType[] },
): CheckedUpload[] {
  const problems: FieldProblem[] = [];
  const checked: CheckedUpload[] = [];
  for (const upload of uploads) {
    const name = sanitiseFileName(upload.name);
    if (upload.bytes.length > limits.maxBytes) throw fileTooLarge(limits.maxBytes);
    const sniffed = sniffFileType(upload.bytes, name);
    if (!sniffed.type) {
      problems.push({ field: 'files', message: `${name} ${sniffed.reason}` });
    } else if (!limits.types.includes(sniffed.type)) {
      const allowed = limits.types.map((t) => TYPE_LABELS[t]).join(', ');
      problems.push({
        field: 'files',
        message: `${name} is a ${TYPE_LABELS[sniffed.type]} file, which is not accepted (accepted: ${allowed})`,
      });
    } else {
      checked.push({
        name,
        bytes: upload.bytes,
        type: sniffed.type,
        mediaType: MEDIA_TYPES[sniffed.type],
        sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      });
    }
  }
  if (problems.length > 0) throw filesRefused(problems);
  return checked;
}
