/**
 * An app around a fresh database for one test file: built-in frameworks loaded as at start, logs silenced,
 * torn down after the file. Use inside describeEachDatabase. The database has no demo data unless the file
 * asks for it: tests make the records they need (createTestUser, createTestOrganisation …), and the demo
 * costs seconds per file.
 */
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App, type AppDeps } from '../app.js';
import { createTestDatabase, type Driver, type TestDatabase } from '../db/testing/test-database.js';
import { prepareDatabase } from '../startup.js';
import { testConfig } from './test-config.js';

export interface TestApp {
  readonly app: App;
  readonly database: TestDatabase;
}

export interface TestAppOptions {
  /** Load the demo data first, as a first start outside production does (for tests of the demo itself). */
  demo?: boolean;
  /** Fastify logger options, for a test that reads the log; silent otherwise. */
  logger?: AppDeps['logger'];
  /** Render a published report's DOCX and PDF by a job as a server does; off, so no chromium runs behind tests. */
  renderPublishedReports?: boolean;
}

export function useTestApp(
  driver: Driver,
  config: Partial<ReturnType<typeof testConfig>> = {},
  options: TestAppOptions = {},
): TestApp {
  let database: TestDatabase | undefined;
  let app: App | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(driver, { reusable: true });
    await prepareDatabase(database, testConfig(config), { demo: options.demo ?? false });
    app = await buildApp({
      config: testConfig(config),
      database,
      logger: options.logger ?? false,
      // Jobs are picked up soon after they are sent; the queue's upkeep (expiry, archiving) runs at its usual
      // pace: on an idle embedded database each of its rounds costs a few milliseconds of CPU.
      jobTimings: { pollingSeconds: 0.5, superviseSeconds: 10 },
      // No test of a test app waits for a webhook to be sent (webhooks.int.test.ts builds its own app with a quick
      // dispatcher): each look at the audit trail costs an idle embedded database CPU.
      webhookTimings: { dispatchEverySeconds: 30 },
      renderPublishedReports: options.renderPublishedReports ?? false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  return {
    get app() {
      if (!app) throw new Error('the test app is built in beforeAll');
      return app;
    },
    get database() {
      if (!database) throw new Error('the test database is made in beforeAll');
      return database;
    },
  };
}
