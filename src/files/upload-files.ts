/**
 * Uploaded files on disk: each is written as its bytes arrive and hashed on the way, so a request of many
 * large files never holds them in memory. The multipart routes write into a folder of their own per
 * request (removed when the request ends); the CLI hashes a file where it is.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A file of a request (or given to the CLI), on disk. */
export interface Upload {
  /** The name the client sent (untrusted). */
  name: string;
  /** Where its bytes are. */
  path: string;
  size: number;
  sha256: string;
}

/** Writes the stream to `target` (which must not exist), and says how many bytes it held and their SHA-256. */
export async function saveStream(source: Readable, target: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, counting, createWriteStream(target, { flags: 'wx' }));
  return { size, sha256: hash.digest('hex') };
}

/** A file on this machine as an upload (the CLI): hashed by reading it through, not copied. */
export async function uploadFromFile(file: string, name: string): Promise<Upload> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { name, path: file, size, sha256: hash.digest('hex') };
}

/** The bytes of a request's one non-empty file (an import takes one file, read whole), if it sent one. */
export async function singleFileBytes(uploads: Upload[]): Promise<Buffer | undefined> {
  const upload = uploads.find((u) => u.size > 0);
  return upload ? readFile(upload.path) : undefined;
}
