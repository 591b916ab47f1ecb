/**
 * What a kloe backup file holds: a tar of the embedded database's data folder (gzipped, as PGlite dumps it),
 * every evidence file under its SHA-256, and last a manifest listing each of them with its SHA-256 and size,
 * which `kloe restore` checks every byte against before it writes anything it cannot remove again.
 */
import { z } from 'zod';

export const BACKUP_FORMAT = 'kloe-backup/1';
export const MANIFEST_ENTRY = 'manifest.json';
export const DATABASE_ENTRY = 'database/pgdata.tar.gz';
export const EVIDENCE_PREFIX = 'evidence/';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

export const backupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.iso.datetime(),
  /** Every entry of the file but the manifest itself. */
  files: z.array(z.object({ path: z.string().min(1), sha256, size: z.number().int().min(0) })),
});

export type BackupManifest = z.infer<typeof backupManifest>;
export type ManifestFile = BackupManifest['files'][number];

/** The evidence file's hash named by an entry's path, or undefined for any other entry. */
export function evidenceHashOf(entryPath: string): string | undefined {
  if (!entryPath.startsWith(EVIDENCE_PREFIX)) return undefined;
  const hash = entryPath.slice(EVIDENCE_PREFIX.length);
  return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}
