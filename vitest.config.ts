import { defineConfig } from 'vitest/config';

// Three tiers, one runner: pure unit tests, integration tests against real databases
// (PGlite and PostgreSQL), and browser tests driving Debian's chromium.
export default defineConfig({
  test: {
    // Vitest's default on two cores is one worker, which leaves a core idle while a test waits on
    // PostgreSQL, a kloe child process or chromium; three keep both cores busy.
    maxWorkers: 3,
    // The usual report, then the ten slowest files of the run.
    reporters: ['default', './src/testing/slowest-files.reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts'],
          globalSetup: ['src/db/testing/migrated-databases.setup.ts', 'src/testing/run-folder.setup.ts'],
          // CLI tests start kloe processes one after another; on two busy cores each start takes seconds
          // (one test of eight starts took 90 s with three test workers and other work running).
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // One server for the whole run (browser tests use no test database of their own).
          globalSetup: ['e2e/support/shared-server.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
