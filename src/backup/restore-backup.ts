/**
 * Restores a backup file (backup-manifest.ts) into an empty data folder: every entry is hashed as it is read
 * and checked against the manifest (and each evidence file against the SHA-256 it is named by) before the
 * database is made; on any mismatch, or when `check` fails, everything written is removed again, so a refused
 * restore leaves the folders as empty as it found them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { evidenceFilePath } from '../modules/evidence/index.js';
import { BackupError } from './backup-error.js';
import {
  DATABASE_ENTRY,
  MANIFEST_ENTRY,
  backupManifest,
  evidenceHashOf,
  type BackupManifest,
  type ManifestFile,
} from './backup-manifest.js';

export interface RestoreTarget {
  dataDir: string;
  evidenceDir: string;
}

interface ReadEntries {
  manifestText: string | undefined;
  dump: Buffer | undefined;
  /** What was read, hashed as it came. */
  found: Map<string, ManifestFile>;
}

/** Refuses a folder holding anything; says whether it existed (an absent one is made by the restore). */
async function emptyFolder(folder: string): Promise<boolean> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new BackupError(`cannot read ${folder}: ${(error as NodeJS.ErrnoException).code}`);
  }
  if (names.length > 0) throw new BackupError(`${folder} is not empty: restore into an empty or new folder`);
  return true;
}

/** Reads a whole entry, hashing it. */
async function readWhole(entry: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; sha256: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Streams an evidence entry to its place in the evidence folder, hashing it. */
async function writeEvidence(entry: AsyncIterable<Buffer>, target: string): Promise<{ sha256: string; size: number }> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    entry,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(target, { flags: 'wx' }),
  );
  return { sha256: hash.digest('hex'), size };
}

async function readEntries(file: string, evidenceDir: string): Promise<ReadEntries> {
  const read: ReadEntries = { manifestText: undefined, dump: undefined, found: new Map() };
  const extract = tar.extract();
  const input = createReadStream(file);
  input.once('error', (error) => extract.destroy(error));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      // tar-stream's entries are streamx streams of Buffers.
      const body = entry as AsyncIterable<Buffer>;
      if (read.found.has(name) || (name === MANIFEST_ENTRY && read.manifestText !== undefined))
        throw new BackupError(`${file} is damaged: it holds ${name} twice`);
      const evidenceHash = evidenceHashOf(name);
      if (name === MANIFEST_ENTRY) {
        read.manifestText = (await readWhole(body)).bytes.toString('utf8');
      } else if (name === DATABASE_ENTRY) {
        const { bytes, sha256 } = await readWhole(body);
        read.dump = bytes;
        read.found.set(name, { path: name, sha256, size: bytes.length });
      } else if (evidenceHash) {
        const written = await writeEvidence(body, evidenceFilePath(evidenceDir, evidenceHash));
        read.found.set(name, { path: name, ...written });
      } else {
        throw new BackupError(`${file} is not a kloe backup: it holds ${name}`);
      }
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BackupError(`cannot read the backup ${file}: ${reason}`);
  }
  return read;
}

/** Every entry read against the manifest, both ways; the first difference is the refusal. */
function checkAgainstManifest(file: string, read: ReadEntries): BackupManifest {
  if (read.manifestText === undefined) throw new BackupError(`${file} is not a kloe backup: it has no manifest`);
  let manifest: BackupManifest;
  try {
    manifest = backupManifest.parse(JSON.parse(read.manifestText));
  } catch {
    throw new BackupError(`${file} is damaged: its manifest is not a kloe-backup/1 manifest`);
  }
  for (const listed of manifest.files) {
    const found = read.found.get(listed.path);
    if (!found) throw new BackupError(`${file} is damaged: ${listed.path} is missing`);
    if (found.sha256 !== listed.sha256 || found.size !== listed.size)
      throw new BackupError(`${file} is damaged: ${listed.path} does not match the SHA-256 in its manifest`);
    const named = evidenceHashOf(listed.path);
    if (named && named !== found.sha256)
      throw new BackupError(`${file} is damaged: ${listed.path} does not match the SHA-256 it is named by`);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = [...read.found.keys()].find((name) => !listed.has(name));
  if (extra) throw new BackupError(`${file} is damaged: ${extra} is not in its manifest`);
  if (!read.dump) throw new BackupError(`${file} is damaged: it holds no database`);
  return manifest;
}

/**
 * Restores `file` into the target folders, which must be empty or absent, then runs `check` on the dumped
 * database (it makes the database from the dump and verifies it); returns the manifest and what check gave.
 */
export async function restoreBackup<T>(
  file: string,
  target: RestoreTarget,
  check: (dump: Blob) => Promise<T>,
): Promise<{ manifest: BackupManifest; checked: T }> {
  try {
    await fs.access(file);
  } catch (error) {
    throw new BackupError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const existed = {
    dataDir: await emptyFolder(target.dataDir),
    evidenceDir: await emptyFolder(target.evidenceDir),
  };
  try {
    const read = await readEntries(file, target.evidenceDir);
    const manifest = checkAgainstManifest(file, read);
    const checked = await check(new Blob([new Uint8Array(read.dump!)]));
    return { manifest, checked };
  } catch (error) {
    for (const [key, folder] of [
      ['evidenceDir', target.evidenceDir],
      ['dataDir', target.dataDir],
    ] as const) {
      if (!existed[key]) await fs.rm(folder, { recursive: true, force: true });
      else for (const name of await fs.readdir(folder)) await fs.rm(path.join(folder, name), { recursive: true });
    }
    throw error;
  }
}
