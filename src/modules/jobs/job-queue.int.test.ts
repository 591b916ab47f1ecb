import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createJobQueue, type JobQueue } from './index.js';

const fast = { pollingSeconds: 0.5, superviseSeconds: 1 };

describeEachDatabase('job queue', (driver) => {
  let database: TestDatabase;
  const queues: JobQueue[] = [];
  const queue = (options: Partial<Parameters<typeof createJobQueue>[0]> = {}) => {
    const made = createJobQueue({ database, ...fast, ...options });
    queues.push(made);
    return made;
  };
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    for (const q of queues) await q.stop();
    await database.close();
  });

  it('runs each job once when two workers take jobs of the same type', async () => {
    const ran: { n: number; worker: string }[] = [];
    const [a, b] = [queue(), queue()];
    for (const [worker, q] of [
      ['a', a],
      ['b', b],
    ] as const)
      q.handle<{ n: number }>('test.once', async (payload) => {
        ran.push({ n: payload.n, worker });
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
    await a.start();
    await b.start();
    for (let n = 0; n < 12; n++) await a.enqueue('test.once', { n });
    await a.settled(['test.once']);
    expect(ran.map((r) => r.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });

  it('retries a job whose handler throws, with the attempt counted', async () => {
    const attempts: number[] = [];
    const q = queue();
    q.handle(
      'test.retry',
      async (_payload, job) => {
        attempts.push(job.attempt);
        if (job.attempt < 2) throw new Error('not yet');
      },
      { retryLimit: 3, retryDelaySeconds: 0 },
    );
    await q.start();
    await q.enqueue('test.retry', {});
    await q.settled(['test.retry']);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('runs a singleton type one job at a time across workers, with at most one waiting', async () => {
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const [a, b] = [queue(), queue()];
    for (const q of [a, b])
      q.handle(
        'test.singleton',
        async () => {
          running += 1;
          most = Math.max(most, running);
          await gate;
          running -= 1;
        },
        { singleton: true },
      );
    await a.start();
    await b.start();
    expect(await a.enqueue('test.singleton', {})).toEqual(expect.any(String));
    while (running === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // One runs; one may wait; a third request while one waits is that one.
    expect(await b.enqueue('test.singleton', {})).toEqual(expect.any(String));
    expect(await a.enqueue('test.singleton', {})).toBeNull();
    expect(await a.open(['test.singleton'])).toBe(2);
    // Both workers poll twice a second: given time, neither takes the waiting job while one runs.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(running).toBe(1);
    release();
    await a.settled(['test.singleton']);
    expect(most).toBe(1);
    expect(await a.open(['test.singleton'])).toBe(0);
  });

  it('keeps a job enqueued in a transaction only if the transaction commits', async () => {
    const q = queue({ work: false });
    q.handle('test.tx', async () => {});
    await q.start();
    await database.db
      .transaction(async (tx) => {
        await q.enqueue('test.tx', { kept: false }, { tx });
        throw new Error('roll back');
      })
      .catch(() => {});
    await database.db.transaction(async (tx) => {
      await q.enqueue('test.tx', { kept: true }, { tx });
    });
    const { rows } = (await database.db.execute(
      sql`select data from pgboss.job where name = 'test.tx'`,
    )) as unknown as { rows: { data: unknown }[] };
    expect(rows.map((r) => r.data)).toEqual([{ kept: true }]);
  });

  it('makes a scheduled job once per occurrence, however many nodes run the schedule', async () => {
    let ran = 0;
    const [a, b] = [queue({ scheduleSeconds: 1 }), queue({ scheduleSeconds: 1 })];
    for (const q of [a, b]) {
      q.handle('test.every', async () => {
        ran++;
      });
      q.every('test.every', '* * * * *');
    }
    await Promise.all([a.start(), b.start()]);
    // Every minute: the first occurrence comes within a minute (and the schedule is looked at each second).
    while (ran === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Each node's pass files the occurrences it sees as pg-boss "send-it" jobs, one per occurrence's minute,
    // and each forwards its occurrence as a job of the type. A run may come late, in the next occurrence's
    // minute, so the handler's clock cannot tell occurrences apart: the minutes pg-boss filed them under can.
    const { rows } = (await database.db.execute(sql`
      select count(*) filter (where name = 'test.every')::int as jobs,
             count(distinct data->>'slot') filter (where name = '__pgboss__send-it')::int as occurrences
      from pgboss.job`)) as unknown as { rows: { jobs: number; occurrences: number }[] };
    expect(ran).toBeGreaterThan(0);
    expect(rows[0]!.jobs).toBeGreaterThanOrEqual(ran);
    expect(rows[0]!.jobs).toBeLessThanOrEqual(rows[0]!.occurrences);
    expect(() => a.every('test.every', '* * * * *')).toThrow(/after the queue started/);
    expect(() => queue().every('test.unhandled', '* * * * *')).toThrow(/without a handler/);
  });

  it('gives a job to another worker when the one running it stops without finishing', async () => {
    const started: string[] = [];
    const lost = queue();
    let release: () => void = () => {};
    lost.handle(
      'test.lost',
      async () => {
        started.push('lost');
        await new Promise<void>((resolve) => (release = resolve)); // never finishes while it counts
      },
      { heartbeatSeconds: 10, retryDelaySeconds: 0 },
    );
    await lost.start();
    await lost.enqueue('test.lost', {});
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await lost.stop(); // the node dies: no more heartbeats, the job stays active
    release();
    const survivor = queue();
    survivor.handle(
      'test.lost',
      async () => {
        started.push('survivor');
      },
      { heartbeatSeconds: 10, retryDelaySeconds: 0 },
    );
    await survivor.start();
    await survivor.settled(['test.lost'], 40_000);
    expect(started).toEqual(['lost', 'survivor']);
  });
});
