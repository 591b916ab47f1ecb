/**
 * Vitest global setup: makes one migrated embedded database, once per run, and dumps it to a file that
 * every test file's in-memory database starts from (test-database.ts). Starting PGlite from a dump is much
 * quicker than a new cluster plus the migrations, and a run starts one or more for each of its integration
 * and browser test files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { IN_MEMORY, openDatabase } from '../client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The dumped, migrated embedded database, or '' when there is none. */
    pgliteDump: string;
  }
}

export default async function setup(project: TestProject) {
  const handle = await openDatabase({ dataDir: IN_MEMORY });
  const dump = await (handle.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
  await handle.close();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-pglite-dump-'));
  const file = path.join(folder, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', file);
  return () => fs.rmSync(folder, { recursive: true, force: true });
}
