/**
 * A full disk is not a bug to apologise for with "please try again": whoever writes (the evidence folder,
 * the embedded database, PostgreSQL) reports it in its own way, and every way of saying it is recognised
 * here, so that kloe answers 507 Insufficient Storage with a message an administrator can act on.
 */
import { AppError } from '../errors.js';

/** errno codes of a write refused for want of space (ENOSPC) or of quota (EDQUOT). */
const FULL_ERRNO = new Set(['ENOSPC', 'EDQUOT']);
/** PostgreSQL's SQLSTATE for disk_full (PGlite reports the same). */
const DISK_FULL_SQLSTATE = '53100';

/** Whether the error, or any error it wraps (Drizzle wraps the driver's), says storage is full. */
export function isStorageFull(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (FULL_ERRNO.has(code) || code === DISK_FULL_SQLSTATE)) return true;
  }
  return false;
}

export const storageFull = () =>
  new AppError(
    'storage_full',
    507,
    'kloe’s storage is full, so nothing could be saved. Ask your administrator to free space, then try again.',
  );
