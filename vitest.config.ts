import { defineConfig } from 'vitest/config';

// Three tiers, one runner: pure unit tests, integration tests against real databases
// (PGlite and PostgreSQL), and browser tests driving Debian's chromium.
export default defineConfig({
  test: {
    // Most integration tests wait: on PostgreSQL, a kloe child process, a job queue's poll or a retry's
    // delay. With three workers the integration tier's processes used half of one core, so more files run
    // side by side than there are cores. `npm test` runs the two browser tiers (e2e, phone) at the same time,
    // each in a Vitest of its own (package.json); they take the rest.
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
      browserProject('e2e', {
        include: ['e2e/**/*.test.ts'],
        // The phone's page walks are a tier of their own, so that they run beside the rest (see below).
        exclude: ['e2e/phone.test.ts'],
      }),
      // Run as a Vitest of its own (`npm run test:phone`), so with a server of its own: its walks and the other
      // browser files then run side by side without sharing the demo's people.
      browserProject('phone', { include: ['e2e/phone.test.ts'] }),
    ],
  },
});

/**
 * A tier of browser tests: one kloe server for the tier's run (browser tests use no test database of their
 * own), its files one after another, as they share the demo's people, whose notifications and work lists
 * they count.
 */
function browserProject(name: string, files: { include: string[]; exclude?: string[] }) {
  return {
    test: {
      name,
      ...files,
      globalSetup: ['e2e/support/shared-server.setup.ts'],
      fileParallelism: false,
      // Limits for a hang, not for speed: beside the integration tier a page can take several times as
      // long as on an idle machine.
      testTimeout: 120_000,
      hookTimeout: 240_000,
      // Tests a file marks concurrent (the phone's page walks) run at most three at a time.
      maxConcurrency: 3,
      // expect.poll waits for a page to settle; Vitest's 1 s is shorter than a busy server's answer.
      expect: { poll: { timeout: 15_000 } },
    },
  };
}
