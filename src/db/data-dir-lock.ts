/**
 * PGlite is a single in-process connection over a data folder: two processes opening the same
 * folder would corrupt it. A lock file holding the owner's pid keeps a second kloe out, and a lock
 * left behind by a process that no longer exists is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseUnavailableError } from './database.js';

export interface DataDirLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'kloe.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          fs.rmSync(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new DatabaseUnavailableError(
          `The data folder ${dataDir} is in use by another kloe process (pid ${owner}); stop it, or set DATA_DIR to another folder`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  throw new DatabaseUnavailableError(`Could not lock the data folder ${dataDir}`);
}
