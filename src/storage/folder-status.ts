/**
 * Whether kloe can write in a folder, and how much space is left there: for /health, which must say so
 * while a full disk refuses every upload and save. Writing a small file is the only sure test (a folder
 * can be full for this user, read-only or gone while statfs still answers).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isStorageFull } from './storage-full.js';

export interface StorageStatus {
  writable: boolean;
  /** Bytes this process may still write there; null where kloe cannot see the disk (PostgreSQL's). */
  freeBytes: number | null;
  /** Why it is not writable: "full", or the system's error code. */
  problem?: string;
}

/** A write of a few kilobytes: a block must be allocated, as for any real file. */
const PROBE = Buffer.alloc(4096);

export async function folderStatus(folder: string): Promise<StorageStatus> {
  const probe = path.join(folder, `.write-check-${randomUUID()}`);
  let problem: string | undefined;
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, PROBE);
  } catch (error) {
    problem = isStorageFull(error) ? 'full' : ((error as NodeJS.ErrnoException).code ?? 'unknown');
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
  const freeBytes = await statfs(folder).then(
    (stats) => stats.bavail * stats.bsize,
    () => null, // a folder that cannot be measured has its problem reported above
  );
  return problem ? { writable: false, freeBytes, problem } : { writable: true, freeBytes };
}
