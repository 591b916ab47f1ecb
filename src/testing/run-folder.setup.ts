/**
 * Vitest global setup: one temporary folder for the whole run, removed when it ends. Test apps keep their
 * evidence files under it (test-config.ts), so that a run leaves nothing behind in the system's temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's temporary folder. */
    runFolder: string;
  }
}

export default function setup(project: TestProject) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-test-run-'));
  project.provide('runFolder', folder);
  return () => fs.rmSync(folder, { recursive: true, force: true });
}
