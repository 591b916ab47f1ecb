/**
 * The indicator recompute as a job: asked for however often, one waits and one runs across every node;
 * whichever worker takes it brings every indicator up to date; a recompute run beside it (the command
 * line) takes turns with it.
 */
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { countBehind, insertIndicator } from './indicators.repository.js';
import { recompute } from './indicators.recompute.js';
import { indicatorDefinitions, indicatorRecomputes, indicatorValues } from './indicators.tables.js';
import { RECOMPUTE_JOB, registerRecomputeJob, requestIfBehind } from './recompute-job.js';

const fast = { pollingSeconds: 0.5, superviseSeconds: 1 };

describeEachDatabase('indicator recompute on the job queue', (driver) => {
  let database: TestDatabase;
  const orgs: string[] = [];
  const queues: JobQueue[] = [];
  let n = 0;

  const queue = (work: boolean) => {
    const jobs = createJobQueue({ database, work, ...fast });
    queues.push(jobs);
    return { jobs, recomputes: registerRecomputeJob({ jobs, database }) };
  };
  /** A new indicator with values and no results yet: behind. */
  async function indicatorWithValues() {
    const indicator = await insertIndicator(database.db, {
      code: `RJ-${++n}`,
      title: `Indicator ${n}`,
      unit: 'n',
      polarity: 'higher',
      category: 'performance',
      serviceArea: 'Tests',
      periodType: 'calendar_year',
    });
    await database.db.insert(indicatorValues).values(
      orgs.flatMap((organisationId, o) =>
        [2020, 2021, 2022, 2023].map((year, y) => ({
          indicatorId: indicator.id,
          organisationId,
          periodIndex: year,
          period: String(year),
          value: 10 + o * 2 + y * (o % 2 === 0 ? 1 : -1),
        })),
      ),
    );
    return indicator;
  }
  const jobRows = async () =>
    (
      (await database.db.execute(
        sql`select state from pgboss.job where name = ${RECOMPUTE_JOB} order by created_on`,
      )) as unknown as { rows: { state: string }[] }
    ).rows.map((r) => r.state);

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    for (let o = 0; o < 5; o++) orgs.push((await createTestOrganisation(database.db, { code: `RJ-O${o + 1}` })).id);
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(indicatorDefinitions);
    await database.db.execute(sql`delete from pgboss.job where name = ${RECOMPUTE_JOB}`);
    for (const q of queues.splice(0)) await q.stop();
  });

  it('keeps one job however often it is asked for, and the worker that takes it brings every indicator up', async () => {
    await indicatorWithValues();
    await indicatorWithValues();
    const asking = queue(false);
    await asking.jobs.start();
    for (let i = 0; i < 3; i++) await asking.recomputes.request();
    expect(await jobRows()).toEqual(['created']);
    expect(await asking.recomputes.underway()).toBe(true);
    const recomputesBefore = (await database.db.select().from(indicatorRecomputes)).length;

    const worker = queue(true);
    await worker.jobs.start();
    await worker.jobs.settled([RECOMPUTE_JOB]);
    expect(await jobRows()).toEqual(['completed']);
    expect(await countBehind(database.db)).toBe(0);
    expect(await asking.recomputes.underway()).toBe(false);
    // One recompute of both indicators, not one per request.
    expect((await database.db.select().from(indicatorRecomputes)).length).toBe(recomputesBefore + 1);
    const { rows } = (await database.db.execute(
      sql`select policy from pgboss.queue where name = ${RECOMPUTE_JOB}`,
    )) as unknown as { rows: { policy: string }[] };
    expect(rows).toEqual([{ policy: 'stately' }]);
  });

  it('is asked for at a start only when results are behind their values', async () => {
    const asking = queue(false);
    await asking.jobs.start();
    await requestIfBehind(database.db, asking.recomputes);
    expect(await jobRows()).toEqual([]);
    await indicatorWithValues();
    await requestIfBehind(database.db, asking.recomputes);
    expect(await jobRows()).toEqual(['created']);
  });

  it('logs a request that cannot be made rather than fail the import that asked', async () => {
    const logged: string[] = [];
    const lost = await createTestDatabase(driver);
    const jobs = createJobQueue({ database: lost, work: false, ...fast });
    const recomputes = registerRecomputeJob({ jobs, database: lost, log: (message) => logged.push(message) });
    await jobs.start();
    await lost.close(); // the database gone between the import's commit and the request
    await expect(recomputes.request()).resolves.toBeUndefined();
    expect(logged).toEqual(['No recompute was asked for; the next start or import asks']);
    await jobs.stop();
  });

  it('waits between its steps, on PGlite, for the requests its server took since the job began', async () => {
    await indicatorWithValues();
    await indicatorWithValues();
    const asked: number[] = [];
    const requests = {
      async settled(since: number) {
        asked.push(since);
      },
    };
    const jobs = createJobQueue({ database, work: true, ...fast });
    queues.push(jobs);
    const recomputes = registerRecomputeJob({ jobs, database, requests });
    const before = performance.now();
    await jobs.start();
    await recomputes.request();
    await jobs.settled([RECOMPUTE_JOB]);
    expect(await countBehind(database.db)).toBe(0);
    if (driver === 'pglite') {
      // Two steps per indicator, each followed by a wait for the requests that came in since the job began.
      expect(asked).toHaveLength(4);
      expect(new Set(asked).size).toBe(1);
      expect(asked[0]).toBeGreaterThan(before);
    } else {
      // PostgreSQL recomputes every indicator in one transaction on a connection of its own: nothing to wait for.
      expect(asked).toEqual([]);
    }
  });

  it('takes turns with a recompute run beside it, leaving one set of results', async () => {
    await indicatorWithValues();
    await recompute(database);
    const count = async () => {
      const { rows } = (await database.db.execute(sql`
        select (select count(*)::int from indicator_trends) as trends,
               (select count(*)::int from indicator_period_stats) as stats`)) as unknown as {
        rows: { trends: number; stats: number }[];
      };
      return rows[0]!;
    };
    const once = await count();
    expect(once.trends).toBeGreaterThan(0);
    if (driver === 'postgres') {
      // Another process (`kloe indicators recompute` beside the servers) is writing results: this one waits.
      const other = await (database.db as unknown as { $client: pg.Pool }).$client.connect();
      try {
        await other.query('select pg_advisory_lock(4250220)');
        let done = false;
        const waiting = recompute(database).then((outcome) => ((done = true), outcome));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(done).toBe(false);
        await other.query('select pg_advisory_unlock(4250220)');
        expect((await waiting).failed).toEqual([]);
      } finally {
        other.release();
      }
    }
    // A node's job and `kloe indicators recompute` at the same moment, each on its own connection.
    const outcomes = await Promise.all([recompute(database), recompute(database), recompute(database)]);
    expect(outcomes.map((o) => o.failed)).toEqual([[], [], []]);
    expect(await count()).toEqual(once);
  });
});
