/**
 * Evidence files in S3-compatible object storage (AWS S3, MinIO, Ceph, Garage, cloud providers' S3 APIs),
 * so that every kloe node behind a load balancer sees the same files. The same interface as the folder:
 * objects are named by SHA-256, a put of bytes already there adds nothing, and an object appears whole or
 * not at all (S3 writes an object atomically). Credentials come the AWS SDK's usual way (AWS_ACCESS_KEY_ID
 * and AWS_SECRET_ACCESS_KEY, a profile, or the machine's role).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { StorageStatus } from '../../storage/folder-status.js';
import type { EvidenceStorage } from './evidence-storage.js';

export interface S3StoreConfig {
  bucket: string;
  /** Put before every object's name, e.g. "kloe/evidence/"; empty for the bucket's root. */
  prefix: string;
  /** The server's address for a store other than AWS (e.g. http://minio:9000); AWS's own otherwise. */
  endpoint: string | undefined;
  region: string;
  /** Bucket in the path (http://host/bucket/key) rather than the host name: what most S3-compatible servers need. */
  forcePathStyle: boolean;
}

const HASH = /^[0-9a-f]{64}$/;

/** The object key of a file: two levels of prefixes, as in the folder, under the configured prefix. */
export function evidenceObjectKey(prefix: string, sha256: string): string {
  if (!HASH.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return `${prefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

const notFound = (error: unknown) =>
  error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound');

export function createS3Storage(config: S3StoreConfig): EvidenceStorage & { destroy(): void } {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    // Checksums only where the operation requires them: many S3-compatible servers refuse the SDK's
    // default trailing checksums on uploads; the object's name is already the SHA-256 of its bytes.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  const keyOf = (sha256: string) => evidenceObjectKey(config.prefix, sha256);
  const has = async (sha256: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(sha256) }));
      return true;
    } catch (error) {
      if (notFound(error)) return false;
      throw error;
    }
  };
  const get = async (sha256: string) => {
    const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) }));
    if (!Body) throw new Error(`object ${keyOf(sha256)} came back without a body`);
    return Body as Readable;
  };
  return {
    has,
    async put(sha256, source) {
      if (await has(sha256)) return { created: false };
      const { size } = await stat(source);
      await client.send(
        new PutObjectCommand({ Bucket, Key: keyOf(sha256), Body: createReadStream(source), ContentLength: size }),
      );
      return { created: true };
    },
    async read(sha256) {
      const chunks: Buffer[] = [];
      for await (const chunk of await get(sha256)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    stream(sha256) {
      // The download starts at once; the object's bytes follow when the store answers (or its error does).
      const out = new PassThrough();
      get(sha256).then(
        (body) => body.on('error', (error) => out.destroy(error)).pipe(out),
        (error: unknown) => out.destroy(error as Error),
      );
      return out;
    },
    async status(): Promise<StorageStatus> {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return { writable: true, freeBytes: null };
      } catch (error) {
        return { writable: false, freeBytes: null, problem: (error as Error).name || 'unreachable' };
      }
    },
    destroy: () => client.destroy(),
  };
}
