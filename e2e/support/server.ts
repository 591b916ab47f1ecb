/**
 * The kloe server a browser test drives. Without settings of its own, a test file gets the run's one server
 * (shared-server.setup.ts): started once, with the demo data, for every file of the e2e run. A file that
 * needs other settings (env) gets a server of its own, stopped when it calls stop().
 */
import { inject } from 'vitest';
import { launchServer, type RunningServer } from './kloe-process.js';

export type { RunningServer } from './kloe-process.js';

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const shared = inject('e2eServer');
  if (Object.keys(env).length > 0 || !shared) return launchServer(env);
  // The run's server outlives the file: stopping it is the global setup's work.
  return { ...shared, stop: async () => {} };
}
