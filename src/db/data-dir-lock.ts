/**
 * PGlite is a single in-process connection over a data folder: two processes opening the same folder would
 * corrupt it. kloe holds an exclusive lock on a file in the folder for as long as it runs. The lock is the
 * operating system's (SQLite's POSIX record lock on kloe-lock.sqlite, through Node's built-in node:sqlite),
 * so it is released when the process ends however it ends (killed, crashed, a container restarted), and
 * taking it is atomic: there is no pid to go stale or be reused, and no takeover to race.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DatabaseUnavailableError } from './database.js';

export interface DataDirLock {
  release(): void;
}

export const LOCK_FILE = 'kloe-lock.sqlite';

/** SQLite's answer when another connection holds the lock (SQLITE_BUSY). */
const SQLITE_BUSY = 5;

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  // timeout 0: fail at once rather than wait for the other process.
  const lock = new DatabaseSync(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    // An exclusive transaction never committed: the lock lasts until the connection closes or the process ends.
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { errcode?: number }).errcode === SQLITE_BUSY) {
      throw new DatabaseUnavailableError(
        `The data folder ${dataDir} is in use by another kloe process; stop it, or set DATA_DIR to another folder`,
      );
    }
    throw new DatabaseUnavailableError(`Could not lock the data folder ${dataDir}: ${(error as Error).message}`);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      lock.close();
    },
  };
}
