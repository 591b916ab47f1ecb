import type { AppDeps } from '../app.js';

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
    oidc: undefined,
    ...overrides,
  };
}
