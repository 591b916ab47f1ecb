/** Opening what a command needs: the configuration and a migrated database, closed when the command ends. */
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import type { DatabaseHandle } from '../db/database.js';

export async function withDatabase<T>(work: (database: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await work(database, config);
  } finally {
    await database.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A database opened on first use (once), for commands that need one only in some cases. */
export function lazyDatabase() {
  let opening: Promise<DatabaseHandle> | undefined;
  return {
    get: async () => {
      opening ??= (async () => {
        const config = loadConfig();
        return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      })();
      return (await opening).db;
    },
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}
