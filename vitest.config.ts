import { defineConfig } from 'vitest/config';

/** Browser test files that start a kloe server with settings of their own (single sign-on, publishing's logs). */
const OWN_SERVER_FILES = ['e2e/sso.test.ts', 'e2e/publishing.test.ts'];

// Three tiers, one runner: pure unit tests, integration tests against real databases
// (PGlite and PostgreSQL), and browser tests driving Debian's chromium.
export default defineConfig({
  test: {
    // Most integration tests wait: on PostgreSQL, a kloe child process, a job queue's poll or a retry's
    // delay. With three workers the integration tier's processes used half of one core, so more files run
    // side by side than there are cores. `npm test` runs the three browser tiers (e2e, phone, own-servers) at the
    // same time, each in a Vitest of its own (package.json); they take the rest.
    maxWorkers: 5,
    // The usual report, then the ten slowest files of the run.
    reporters: ['default', './src/testing/slowest-files.reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          // A limit for a hang: a few unit tests print with chromium or inflate a zip bomb, seconds each on a
          // busy machine.
          testTimeout: 120_000,
          // As for integration files: a worker keeps the modules it loaded for its next file (no unit test
          // mocks a module or leaves a global changed), rather than loading them again for each.
          isolate: false,
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
          setupFiles: ['src/testing/file-cpu.setup.ts'],
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
          setupFiles: ['src/testing/file-cpu.setup.ts'],
          // Limits for a hang, not for speed. CLI tests start kloe processes and open embedded databases on disk
          // one after another, each taking seconds on two busy cores: the first backup test took 84 s in a whole
          // run on a quiet machine, and passed 180 s in one where every test ran at half that speed.
          testTimeout: 480_000,
          hookTimeout: 240_000,
        },
      },
      browserProject('e2e', {
        include: ['e2e/**/*.test.ts'],
        exclude: ['e2e/phone.test.ts', ...OWN_SERVER_FILES],
      }),
      // The phone's page walks, as a Vitest of its own (`npm run test:phone`) with a server of its own: they
      // run beside the other browser files without sharing the demo's people.
      browserProject('phone', { include: ['e2e/phone.test.ts'] }),
      // Files that start a kloe server with settings of their own need no shared one (`npm run test:own-servers`).
      browserProject('own-servers', { include: OWN_SERVER_FILES }, { sharedServer: false }),
    ],
  },
});

/**
 * A tier of browser tests: one kloe server for the tier's run unless its files start their own (browser tests
 * use no test database of their own), its files one after another, as they share the demo's people, whose
 * notifications and work lists they count.
 */
function browserProject(
  name: string,
  files: { include: string[]; exclude?: string[] },
  options: { sharedServer: boolean } = { sharedServer: true },
) {
  return {
    test: {
      name,
      ...files,
      globalSetup: options.sharedServer ? ['e2e/support/shared-server.setup.ts'] : [],
      fileParallelism: false,
      // Limits for a hang, not for speed: beside the integration tier a page can take several times as long
      // as on an idle machine (one whole self-assessment took 202 s in a run where every test ran at half speed).
      testTimeout: 600_000,
      hookTimeout: 600_000,
      // Tests a file marks concurrent (the phone's page walks) run at most three at a time.
      maxConcurrency: 3,
      // expect.poll waits for a page to settle; Vitest's 1 s is shorter than a busy server's answer.
      expect: { poll: { timeout: 60_000 } },
    },
  };
}
