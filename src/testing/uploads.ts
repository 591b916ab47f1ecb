/**
 * Uploads for tests that call services directly: bytes written to a file in the run's temporary folder
 * (run-folder.setup.ts, removed when the run ends), as a request's would be.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { uploadFromFile, type Upload } from '../files/upload-files.js';

export async function uploadOfBytes(name: string, bytes: Uint8Array): Promise<Upload> {
  const file = path.join(inject('runFolder'), `upload-${randomUUID()}`);
  await fs.writeFile(file, bytes);
  return uploadFromFile(file, name);
}
