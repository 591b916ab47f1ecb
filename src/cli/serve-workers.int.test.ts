import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../db/testing/test-database.js';
import { assertBuilt, kloeInProcess, startKloeServer } from './testing/run-cli.js';

const childrenOf = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

describe.skipIf(!postgresAvailable)('kloe serve with KLOE_WORKERS [postgres]', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    assertBuilt();
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database.close();
  });

  it('prepares the database once, serves from every worker and stops them all on SIGTERM', async () => {
    const server = await startKloeServer({ DATABASE_URL: database.url!, KLOE_WORKERS: '2' });
    expect(server.output()).toMatch(
      /kloe is running at http:\/\/localhost:\d+ \(database: postgres .*, 2 worker processes\)/,
    );
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(2);

    // Enough requests that both workers answer some (node:cluster deals them out in turn).
    const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${server.url}/health`)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect((await fetch(`${server.url}/frameworks`)).status).toBe(200);

    expect(await server.stop()).toBe(0);
    for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('refuses more than one worker on the embedded database, with the reason', async () => {
    const result = await kloeInProcess(['serve'], { KLOE_WORKERS: '2' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'kloe: Invalid configuration: KLOE_WORKERS above 1 needs DATABASE_URL (PostgreSQL); the embedded database serves one process\n',
    );
    expect((await kloeInProcess(['serve'], { KLOE_WORKERS: 'lots' })).stderr).toMatch(
      /^kloe: Invalid configuration: KLOE_WORKERS must be/,
    );
  });
});
