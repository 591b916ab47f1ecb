/**
 * What a command works with: its environment, where it writes, the configuration and a migrated database
 * (closed when the command ends). `kloe` gives a command the process's own; a test gives it its own, and runs
 * the command in the test's process (src/cli/testing/run-cli.ts).
 */
import type { Writable } from 'node:stream';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import type { DatabaseHandle } from '../db/database.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
}

export type CliContext = ReturnType<typeof createCliContext>;

export function createCliContext(io: CliIo) {
  const config = () => loadConfig(io.env);
  const open = () => {
    const { databaseUrl, dataDir } = config();
    return openDatabase({ databaseUrl, dataDir });
  };
  return {
    ...io,
    config,
    /** Set by a command that finished but must exit non-zero (some indicators could not be recomputed). */
    exitCode: 0,

    async withDatabase<T>(work: (database: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
      const settings = config();
      const database = await openDatabase({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
      try {
        return await work(database, settings);
      } finally {
        await database.close();
      }
    },

    printJson(value: unknown): void {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },

    /** A database opened on first use (once), for commands that need one only in some cases. */
    lazyDatabase() {
      let opening: Promise<DatabaseHandle> | undefined;
      return {
        get: async () => (await (opening ??= open())).db,
        close: async () => {
          if (opening) await (await opening).close();
        },
      };
    },
  };
}
