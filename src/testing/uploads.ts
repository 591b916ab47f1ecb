/** Uploads for tests that call services directly: bytes written to a temporary file, as a request's would be. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { uploadFromFile, type Upload } from '../files/upload-files.js';

export async function uploadOfBytes(name: string, bytes: Uint8Array): Promise<Upload> {
  const file = path.join(os.tmpdir(), `kloe-upload-${randomUUID()}`);
  await fs.writeFile(file, bytes);
  return uploadFromFile(file, name);
}
