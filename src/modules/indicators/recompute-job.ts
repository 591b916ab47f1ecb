/**
 * The indicator recompute as background work on the job queue (src/modules/jobs): a server asks for one
 * after an import and at every start, and whichever node takes the job recomputes every indicator whose
 * results are behind its values generation or the trend window (recomputeBehind), so one job covers every
 * import committed before it runs.
 *
 * The job type is a singleton (pg-boss's `stately` policy): at most one waits and one runs across every
 * node, so two nodes never recompute at once, and an import while one waits adds nothing. A job whose node
 * dies is retried by another once its heartbeat stops; one that throws (a lost database) is retried. An
 * indicator whose arithmetic fails is not retried: it stays marked behind (the indicators page says so)
 * and the log names it.
 *
 * The import asks for the job right after its transaction commits, not inside it: the transaction is the
 * import's own (indicators.import.ts), and a job lost between the commit and the request (the node dies
 * then) costs nothing, since the values generation already marks the results behind and the next start
 * or import asks again.
 */
import type { DatabaseHandle } from '../../db/database.js';
import { giveWayFromNow, type RequestsInFlight } from '../../web/requests-in-flight.js';
import type { JobQueue } from '../jobs/index.js';
import { countBehind } from './indicators.repository.js';
import { recomputeBehind } from './indicators.recompute.js';

/** The job type of a recompute; its payload is empty. */
export const RECOMPUTE_JOB = 'indicators.recompute';

export interface Recomputes {
  /**
   * Asks for a recompute of whatever is behind (nothing happens if nothing is, or one waits already). Never
   * throws: the import has committed by then, so a request that cannot be made (a lost database) is logged,
   * and the next start or import asks again.
   */
  request(): Promise<void>;
  /** Whether a recompute waits or runs. */
  underway(): Promise<boolean>;
}

export function registerRecomputeJob(deps: {
  jobs: JobQueue;
  database: Pick<DatabaseHandle, 'db' | 'driver'>;
  log?: (message: string, error: unknown) => void;
  /** The server's requests: on PGlite the recompute waits between its steps for those it holds up. */
  requests?: RequestsInFlight;
}): Recomputes {
  const { jobs, database } = deps;
  jobs.handle(
    RECOMPUTE_JOB,
    async () => {
      const outcome = await recomputeBehind(database, {
        giveWay: deps.requests ? giveWayFromNow(deps.requests) : undefined,
      });
      for (const failure of outcome?.failed ?? [])
        deps.log?.(`indicator ${failure.code} could not be recomputed`, new Error(failure.message));
    },
    // A national recompute runs for minutes; the heartbeat, not the expiry, tells a dead node's job.
    { singleton: true, expireInSeconds: 2 * 60 * 60, retryLimit: 3 },
  );
  return {
    async request() {
      await jobs
        .enqueue(RECOMPUTE_JOB, {})
        .catch((error: unknown) => deps.log?.('No recompute was asked for; the next start or import asks', error));
    },
    async underway() {
      return (await jobs.open([RECOMPUTE_JOB])) > 0;
    },
  };
}

/** Asks for a recompute when anything is behind (a server's start: a crash may have left results behind). */
export async function requestIfBehind(db: DatabaseHandle['db'], recomputes: Recomputes): Promise<void> {
  if ((await countBehind(db)) > 0) await recomputes.request();
}
