/**
 * Where file contents live, by SHA-256: an interface so that an S3-compatible store can stand in for
 * the folder. Writing is idempotent (the same bytes, the same key) and atomic (a temporary file renamed
 * into place), so a failed or repeated upload never leaves half a file under a real key.
 */
import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { folderStatus, type StorageStatus } from '../../storage/folder-status.js';
import { createS3Storage, type S3StoreConfig } from './evidence-s3-storage.js';

export interface EvidenceStorage {
  /** Stores the file at `source` (left where it is) under its hash unless already there; says whether it was new. */
  put(sha256: string, source: string): Promise<{ created: boolean }>;
  read(sha256: string): Promise<Buffer>;
  stream(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  /** Whether new files can be stored, and the space left (for /health). */
  status(): Promise<StorageStatus>;
}

const HASH = /^[0-9a-f]{64}$/;

/** Where the folder keeps the file with this SHA-256 (two levels of subfolders keep each folder small). */
export function evidenceFilePath(root: string, sha256: string): string {
  // The key names a path: only a real hash may, so nothing can point outside the folder.
  if (!HASH.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export function createFileSystemStorage(root: string): EvidenceStorage {
  const pathOf = (sha256: string) => evidenceFilePath(root, sha256);
  const has = async (sha256: string) => {
    try {
      await stat(pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  };
  return {
    has,
    async put(sha256, source) {
      const target = pathOf(sha256);
      if (await has(sha256)) return { created: false };
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomUUID()}.part`;
      try {
        await copyFile(source, temporary, constants.COPYFILE_EXCL);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { created: true };
    },
    read: (sha256) => readFile(pathOf(sha256)),
    stream: (sha256) => createReadStream(pathOf(sha256)),
    status: () => folderStatus(root),
  };
}

/** The store the configuration names: S3-compatible object storage (KLOE_EVIDENCE_STORE) or the folder. */
export function createEvidenceStorage(config: { dir: string; s3?: S3StoreConfig | undefined }): EvidenceStorage {
  return config.s3 ? createS3Storage(config.s3) : createFileSystemStorage(config.dir);
}

/**
 * Stores bytes already in memory (an import's files, carried in its document): written to a temporary
 * file first, since a store takes files as uploads arrive, then put under their hash.
 */
export async function storeBytes(storage: EvidenceStorage, sha256: string, bytes: Uint8Array): Promise<void> {
  const source = path.join(os.tmpdir(), `kloe-bytes-${randomUUID()}`);
  await writeFile(source, bytes, { flag: 'wx' });
  try {
    await storage.put(sha256, source);
  } finally {
    await rm(source, { force: true });
  }
}
