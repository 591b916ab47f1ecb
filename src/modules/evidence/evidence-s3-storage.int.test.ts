import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from '../../testing/s3-server.js';
import { createS3Storage, evidenceObjectKey } from './evidence-s3-storage.js';

const sha256 = (bytes: string) => createHash('sha256').update(bytes).digest('hex');

describe('evidence in S3-compatible storage (s3rver)', () => {
  let server: TestS3Server;
  let storage: ReturnType<typeof createS3Storage>;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-s3-test-'));
  const fileOf = (content: string) => {
    const file = path.join(folder, sha256(content));
    fs.writeFileSync(file, content);
    return file;
  };

  beforeAll(async () => {
    Object.assign(process.env, S3RVER_CREDENTIALS);
    server = await startS3Server();
    storage = createS3Storage({
      bucket: server.bucket,
      prefix: 'evidence/',
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    storage?.destroy();
    await server?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('stores a file under its hash once, and reads and streams it back', async () => {
    const content = 'Minutes of the housing board, 3 March: performance reported quarterly.';
    const hash = sha256(content);
    expect(await storage.has(hash)).toBe(false);
    expect(await storage.put(hash, fileOf(content))).toEqual({ created: true });
    expect(await storage.put(hash, fileOf(content))).toEqual({ created: false });
    expect(await storage.has(hash)).toBe(true);
    expect((await storage.read(hash)).toString()).toBe(content);
    expect(await text(storage.stream(hash))).toBe(content);
  });

  it('fails a stream of a file it does not hold, and reports the bucket writable', async () => {
    await expect(text(storage.stream(sha256('never stored')))).rejects.toThrow();
    await expect(storage.read(sha256('never stored'))).rejects.toThrow();
    expect(await storage.status()).toEqual({ writable: true, freeBytes: null });
  });

  it('reports a store it cannot reach as not writable', async () => {
    const missing = createS3Storage({
      bucket: 'no-such-bucket',
      prefix: '',
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect((await missing.status()).writable).toBe(false);
    missing.destroy();
  });

  it('names objects by hash under the prefix, and refuses a key that is not a hash', () => {
    const hash = sha256('x');
    expect(evidenceObjectKey('kloe/', hash)).toBe(`kloe/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`);
    expect(() => evidenceObjectKey('', '../../etc/passwd')).toThrow(/not a SHA-256/);
  });
});
