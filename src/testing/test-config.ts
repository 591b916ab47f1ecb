import path from 'node:path';
import { inject } from 'vitest';
import type { AppDeps } from '../app.js';
import { FILE_TYPES } from '../files/file-types.js';
import { TEST_CHROMIUM } from './test-chromium.js';

/** The configuration tests build the app with. */
export function testConfig(overrides: Partial<AppDeps['config']> = {}): AppDeps['config'] {
  return {
    env: 'test',
    logLevel: 'silent',
    baseUrl: 'http://localhost:3000',
    secret: 'test-secret-that-is-long-enough-for-signing',
    session: { idleMinutes: 120, maxHours: 12 },
    admin: undefined,
    // High, so that suites signing in often are not throttled; the limit itself has its own test.
    signInAttemptsPerMinute: 1000,
    // High for the same reason; src/api/conventions.int.test.ts tests a low one.
    apiRequestsPerMinute: 100_000,
    oidc: undefined,
    // Content-addressed, so every test app of this process may share one folder; under the run's folder
    // (run-folder.setup.ts), which is removed when the run ends.
    evidence: {
      dir: path.join(inject('runFolder'), `evidence-${process.pid}`),
      maxBytes: 50 * 1024 * 1024,
      types: FILE_TYPES,
      uploadsAtOnce: 8,
    },
    reports: { pdfQueueSize: 4, chromiumPath: TEST_CHROMIUM },
    ...overrides,
  };
}
