/**
 * A database error's log line names the statement and the error, never the values it ran with
 * (issue 17 item 15): checked through the app's own error log and the CLI's error line.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { reportCliError } from '../cli/errors.js';
import { prepareDatabase } from '../startup.js';
import { testConfig } from '../testing/test-config.js';
import { createTestUser } from '../testing/test-users.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './testing/test-database.js';

const SECRET_NAME = 'Confidential Borough Council';
const SECRET_CODE = 'SECRET-CODE-42';

describeEachDatabase('database errors in logs', (driver) => {
  let database: TestDatabase;
  let app: App;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await prepareDatabase(database, testConfig());
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await buildApp({ config: testConfig(), database, logger: { level: 'error', stream } });
    // A rule the database enforces and the app does not know: the insert fails inside PostgreSQL.
    await database.db.execute(
      sql.raw(`alter table organisations add constraint no_secrets check (name <> '${SECRET_NAME}')`),
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('logs a failed insert with its statement and SQLSTATE, without a single parameter value', async () => {
    const admin = await createTestUser(database.db, 'administrator');
    const res = await app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: admin.headers,
      payload: { code: SECRET_CODE, name: SECRET_NAME, type: 'council' },
    });
    expect(res.statusCode).toBe(500);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; err?: Record<string, unknown> });
    const failure = logged.find((line) => line.msg === 'request failed');
    expect(failure?.err).toMatchObject({
      type: 'DatabaseQueryError',
      code: '23514',
      constraint: 'no_secrets',
      statement: expect.stringMatching(/^insert into "organisations"/),
    });
    const text = lines.join('\n');
    expect(text).not.toContain(SECRET_NAME);
    expect(text).not.toContain(SECRET_CODE);
  });

  it('says a failed query on the CLI without its parameters, the value quoted back by PostgreSQL included', async () => {
    const error = await database.db.execute(sql`select ${'ada@example.test'}::int`).catch((e: unknown) => e);
    const written: string[] = [];
    expect(reportCliError(error, (line) => written.push(line))).toBe(2);
    expect(written.join('')).toBe(
      'kloe: unexpected error: invalid input syntax for type integer: "[parameter]" (statement: select $1::int)\n',
    );
  });
});
