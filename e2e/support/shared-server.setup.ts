/**
 * Vitest global setup of the e2e tests: one kloe server for the whole run, on a new data folder with the
 * demo data (a first start outside production loads it), stopped when the run ends. Starting one per file
 * cost each file the start and the demo load.
 */
import type { TestProject } from 'vitest/node';
import { launchServer } from './kloe-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's kloe server, or undefined outside the e2e tests. */
    e2eServer: { url: string; dataDir: string } | undefined;
  }
}

export default async function setup(project: TestProject) {
  const server = await launchServer();
  project.provide('e2eServer', { url: server.url, dataDir: server.dataDir });
  return () => server.stop();
}
