import { defineConfig } from 'vitest/config';

// Three tiers, one runner: pure unit tests, integration tests against real databases
// (PGlite and PostgreSQL), and browser tests driving Debian's chromium.
export default defineConfig({
  test: {
    // Most integration and browser tests wait: on PostgreSQL, a kloe child process, a job queue's poll, a
    // retry's delay or chromium. Measured on the integration tier alone with three workers, the workers'
    // processes used half of one core; so more files run side by side than there are cores, browser tests
    // among them (every project shares this number: Vitest runs projects with one worker count together).
    maxWorkers: 5,
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
          // A worker keeps the modules it loaded for its next file, rather than loading the whole app again
          // for each (an integration file spent about as long importing as testing). Files share nothing
          // else: each makes its own database and app.
          isolate: false,
          globalSetup: ['src/db/testing/migrated-databases.setup.ts', 'src/testing/run-folder.setup.ts'],
          // CLI tests start kloe processes one after another; on two busy cores each start takes seconds
          // (one test of eight starts took 90 s with three test workers and other work running).
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // One server for the whole run (browser tests use no test database of their own); files run side by
          // side with each other and with the integration files, each making the records it changes.
          globalSetup: ['e2e/support/shared-server.setup.ts'],
          // Limits for a hang, not for speed: with five files side by side on two cores a page can take
          // several times as long as on an idle machine.
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // Tests a file marks concurrent (the phone's page walks) run at most three at a time.
          maxConcurrency: 3,
          // expect.poll waits for a page to settle; Vitest's 1 s is shorter than a busy server's answer.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
