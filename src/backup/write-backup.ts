/**
 * Writes a backup file (backup-manifest.ts) to a stream: the database's dump first, then the evidence files.
 * Evidence files are named by their SHA-256, written before the row naming them commits and never removed,
 * so every file present after the dump holds at least every file the dumped rows name: the pair is consistent
 * without stopping kloe. Files are streamed, never held whole in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import tar from 'tar-stream';
import {
  BACKUP_FORMAT,
  DATABASE_ENTRY,
  EVIDENCE_PREFIX,
  MANIFEST_ENTRY,
  type BackupManifest,
  type ManifestFile,
} from './backup-manifest.js';

export interface BackupSource {
  /** The embedded database's data folder, dumped consistently (DatabaseHandle.dumpDataDir). */
  dumpDatabase(): Promise<Blob>;
  /** The evidence folder (KLOE_EVIDENCE_DIR). */
  evidenceDir: string;
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The SHA-256 named evidence files under the folder; none when it does not exist yet. */
async function evidenceFiles(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(root, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Temporary `.part` files of uploads in flight are left out: only a renamed file is a stored one.
  return names.filter((name) => /^[0-9a-f]{64}$/.test(path.basename(name))).sort();
}

/** Adds one file to the archive, streaming it, and returns its manifest line (hashed as it is read). */
async function addFile(pack: tar.Pack, entryPath: string, file: string): Promise<ManifestFile> {
  const { size } = await fs.stat(file);
  const hash = createHash('sha256');
  const entry = pack.entry({ name: entryPath, size });
  await pipeline(
    createReadStream(file),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    },
    entry,
  );
  return { path: entryPath, sha256: hash.digest('hex'), size };
}

/** Writes the whole backup to `out` and returns its manifest. */
export async function writeBackup(source: BackupSource, out: Writable): Promise<BackupManifest> {
  const pack = tar.pack();
  const written = pipeline(pack, out);
  try {
    const dump = new Uint8Array(await (await source.dumpDatabase()).arrayBuffer());
    const files: ManifestFile[] = [{ path: DATABASE_ENTRY, sha256: sha256Of(dump), size: dump.byteLength }];
    pack.entry({ name: DATABASE_ENTRY }, Buffer.from(dump));
    for (const name of await evidenceFiles(source.evidenceDir)) {
      files.push(await addFile(pack, `${EVIDENCE_PREFIX}${path.basename(name)}`, path.join(source.evidenceDir, name)));
    }
    const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), files };
    pack.entry({ name: MANIFEST_ENTRY }, `${JSON.stringify(manifest, null, 2)}\n`);
    pack.finalize();
    await written;
    return manifest;
  } catch (error) {
    pack.destroy(error as Error);
    await written.catch(() => {});
    throw error;
  }
}
