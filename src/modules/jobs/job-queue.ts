/**
 * Background work that runs once across every kloe node on one database: a job is a row in PostgreSQL
 * (or the embedded PGlite) taken by exactly one worker with `SELECT … FOR UPDATE SKIP LOCKED`, retried
 * when its handler throws, and given to another worker when the node running it dies (its heartbeat
 * stops). pg-boss does the work; this keeps kloe's use of it to a small API: register a handler per job
 * type, enqueue a job (optionally inside the caller's transaction, so the job exists only if the change
 * that asks for it commits) or have one made on a schedule, start, stop.
 */
import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss, type ConstructorOptions, type PGliteLike } from 'pg-boss';
import type pg from 'pg';
import type { Database, DatabaseHandle } from '../../db/database.js';
import { JOB_SCHEMA } from './job-schema.js';

/** What a handler is told about the job it runs. */
export interface JobContext {
  id: string;
  /** 0 the first time, 1 on the first retry, … */
  attempt: number;
  /** Aborted when the job is taken from this worker (it expired, or the queue is stopping). */
  signal: AbortSignal;
}

export type JobHandler<P extends object> = (payload: P, job: JobContext) => Promise<void>;

export interface JobTypeOptions {
  /** Retries after the first failure (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry, doubled each time after (default 5). */
  retryDelaySeconds?: number;
  /**
   * Seconds without a heartbeat after which a running job counts as lost (its node died) and is retried
   * elsewhere; the worker beats every half of it. At least 10 (default 30).
   */
  heartbeatSeconds?: number;
  /** Longest a job may run before it counts as failed (default 15 minutes). */
  expireInSeconds?: number;
  /** Jobs of this type one node runs at the same time (default 1). */
  concurrency?: number;
  /**
   * At most one job of this type waits and one runs, across every node (pg-boss's `stately` policy): for
   * work that covers whatever is due when it runs (a recompute of everything behind), so a second request
   * while one waits adds nothing, and two nodes never run it at once. Default false.
   */
  singleton?: boolean;
}

export interface EnqueueOptions {
  /** Not before this many seconds from now. */
  delaySeconds?: number;
  /** Enqueued in this transaction: the job exists only if it commits. */
  tx?: Database;
}

export interface JobQueue {
  /** Registers the handler of a job type; before start(). Every node that should run the type registers it. */
  handle<P extends object>(type: string, handler: JobHandler<P>, options?: JobTypeOptions): void;
  /**
   * Has a job of this type (with an empty payload) made on a cron schedule, once per occurrence across every
   * node; an occurrence missed while no node ran is made once at the next start. Before start().
   */
  every(type: string, cron: string, options?: { timeZone?: string }): void;
  /**
   * Adds a job; resolves to its id, or null when the type is a singleton and a job of it waits already
   * (that one covers this). Handlers should be idempotent: a job may run again after a crash.
   */
  enqueue<P extends object>(type: string, payload: P, options?: EnqueueOptions): Promise<string | null>;
  /** How many jobs of these types wait or run (pages that say work is under way). */
  open(types: string[]): Promise<number>;
  /** Creates the queues and starts taking jobs (when this process works; see JobQueueOptions.work). */
  start(): Promise<void>;
  /** Stops taking jobs; a job running is given up (another node, or this one at its next start, retries it). */
  stop(): Promise<void>;
  /** Resolves once no job of these types waits or runs (tests, benchmarks, a command that waits). */
  settled(types: string[], timeoutMs?: number): Promise<void>;
}

export interface JobQueueOptions {
  database: Pick<DatabaseHandle, 'db' | 'driver'>;
  /** Whether this process runs jobs, or only enqueues them (a command-line process). Default true. */
  work?: boolean;
  /** How often an idle worker looks for jobs (default 2 s; at least 0.5). */
  pollingSeconds?: number;
  /** How often lost and expired jobs are looked for (default 10 s). */
  superviseSeconds?: number;
  /**
   * The heartbeat of every job type that does not set its own (default 30 s, at least 10): how long a job
   * whose node died stays taken before another node retries it (KLOE_JOB_HEARTBEAT_SECONDS).
   */
  heartbeatSeconds?: number;
  /** How often schedules are looked at (default 30 s; at least 1). */
  scheduleSeconds?: number;
  log?: (message: string, error: unknown) => void;
}

/** pg-boss over the connection kloe already has: PGlite's one client, or PostgreSQL's pool. */
function bossDatabase(database: JobQueueOptions['database']): NonNullable<ConstructorOptions['db']> {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.driver === 'pglite') return fromPglite(client as PGliteLike);
  const pool = client as pg.Pool;
  return {
    async executeSql(text: string, values?: unknown[]) {
      // Without parameters pg uses the simple protocol, which takes several statements (a list of results).
      const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
      return { rows: Array.isArray(result) ? result.flatMap((r) => r.rows ?? []) : result.rows };
    },
  };
}

const DEFAULTS = { retryLimit: 3, retryDelaySeconds: 5, heartbeatSeconds: 30, expireInSeconds: 15 * 60 };

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const boss = new PgBoss({
    db: bossDatabase(options.database),
    schema: JOB_SCHEMA,
    backend: options.database.driver === 'pglite' ? 'pglite' : 'postgres',
    // The schema comes with the migrations (job-schema.ts); a newer pg-boss still updates it at start.
    createSchema: false,
    // Schedules (every()) are kept by pg-boss: one job per occurrence, whichever node sees it first.
    schedule: options.work !== false,
    cronMonitorIntervalSeconds: options.scheduleSeconds ?? 30,
    cronWorkerIntervalSeconds: options.scheduleSeconds ?? 30,
    supervise: options.work !== false,
    superviseIntervalSeconds: options.superviseSeconds ?? 10,
    // The monitor fails jobs whose heartbeat stopped (their node died) so they are retried; looking as often
    // as the heartbeat lasts (not pg-boss's minute) gives a dead node's job to another within two heartbeats.
    monitorIntervalSeconds: Math.min(60, options.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds),
    registerInstance: false,
  });
  boss.on('error', (error: unknown) => options.log?.('job queue', error));
  const handlers = new Map<string, { handler: JobHandler<object>; options: JobTypeOptions }>();
  const schedules = new Map<string, { cron: string; timeZone: string }>();
  const created = new Map<string, Promise<void>>();
  let started: Promise<unknown> | undefined;
  const defaultHeartbeat = options.heartbeatSeconds ?? DEFAULTS.heartbeatSeconds;
  const openJobs = async (types: string[]) => {
    // The job table itself: the queue's counts are figures pg-boss refreshes now and then.
    const { rows } = await boss
      .getDb()
      .executeSql(`select count(*)::int as open from ${JOB_SCHEMA}.job where name = any($1) and state < 'completed'`, [
        types,
      ]);
    return (rows[0] as { open: number }).open;
  };

  const queueOf = (type: string) => {
    let made = created.get(type);
    if (!made) {
      const o = { ...DEFAULTS, heartbeatSeconds: defaultHeartbeat, ...handlers.get(type)?.options };
      made = boss.createQueue(type, {
        // The policy is fixed when pg-boss first makes the queue; a type never changes it.
        ...(o.singleton ? { policy: 'stately' } : {}),
        retryLimit: o.retryLimit,
        retryDelay: o.retryDelaySeconds,
        retryBackoff: o.retryDelaySeconds > 0,
        heartbeatSeconds: o.heartbeatSeconds,
        expireInSeconds: o.expireInSeconds,
      });
      created.set(type, made);
    }
    return made;
  };
  const ensureStarted = () => (started ??= boss.start());

  return {
    handle(type, handler, handlerOptions = {}) {
      if (started) throw new Error(`job type ${type} registered after the queue started`);
      if (handlers.has(type)) throw new Error(`job type ${type} has a handler already`);
      handlers.set(type, { handler: handler as JobHandler<object>, options: handlerOptions });
    },
    every(type, cron, scheduleOptions = {}) {
      if (started) throw new Error(`job type ${type} scheduled after the queue started`);
      if (!handlers.has(type)) throw new Error(`job type ${type} is scheduled without a handler`);
      schedules.set(type, { cron, timeZone: scheduleOptions.timeZone ?? 'UTC' });
    },
    async enqueue(type, payload, enqueueOptions = {}) {
      await ensureStarted();
      await queueOf(type);
      const id = await boss.send(type, payload, {
        // Per job too: a queue keeps the heartbeat it was first made with, and the setting may have changed.
        heartbeatSeconds: handlers.get(type)?.options.heartbeatSeconds ?? defaultHeartbeat,
        ...(enqueueOptions.delaySeconds ? { startAfter: enqueueOptions.delaySeconds } : {}),
        ...(enqueueOptions.tx
          ? { db: fromDrizzle(enqueueOptions.tx as unknown as Parameters<typeof fromDrizzle>[0], sql) }
          : {}),
      });
      // Only a singleton queue makes pg-boss refuse a job: one of its type waits already.
      if (!id && !handlers.get(type)?.options.singleton) throw new Error(`job of type ${type} was not added`);
      return id;
    },
    async open(types) {
      await ensureStarted();
      return openJobs(types);
    },
    async start() {
      await ensureStarted();
      for (const type of handlers.keys()) await queueOf(type);
      if (options.work === false) return;
      for (const [type, { cron, timeZone }] of schedules)
        await boss.schedule(type, cron, {}, { tz: timeZone, missed: 'once' });
      for (const [type, { handler, options: o }] of handlers)
        await boss.work<object>(
          type,
          { pollingIntervalSeconds: options.pollingSeconds ?? 2, batchSize: 1, localConcurrency: o.concurrency ?? 1 },
          async ([job]) => {
            if (job) await handler(job.data, { id: job.id, attempt: job.retryCount, signal: job.signal });
          },
        );
    },
    async stop() {
      if (!started) return;
      await started.catch(() => {});
      // Not graceful: a running job is abandoned, not awaited; its heartbeat stops and it is retried.
      await boss.stop({ graceful: false, close: true, timeout: 1_000 });
    },
    async settled(types, timeoutMs = 30_000) {
      await ensureStarted();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if ((await openJobs(types)) === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs of ${types.join(', ')} still waiting or running`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
