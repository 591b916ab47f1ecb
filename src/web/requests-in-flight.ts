/**
 * The requests this process is answering, so that long work on its event loop can give way to them. An
 * indicator import on PGlite runs every statement on the event loop: between two of its steps a request
 * gets one turn, so a request that waits for the disk or the database ten times (/health does) would wait
 * behind ten of the import's steps. The import and the recompute job instead wait, between their steps, until
 * the requests that arrived since they began are answered (for a bounded time, so that they still move on under
 * steady traffic).
 */
import type { FastifyInstance } from 'fastify';

export interface RequestsInFlight {
  /**
   * Resolves once no request that arrived after `since` (a `performance.now()` time) is still being
   * answered, or after `atMostMs`; never before the event loop has had a turn.
   */
  settled(since: number, atMostMs: number): Promise<void>;
}

/** How long long work waits, between two of its steps, for requests that arrived since it began. */
const GIVE_WAY_MS = 100;

/**
 * The give-way of long work beginning now (an import, a recompute): called between two of its steps, it waits
 * until the requests that arrived since are answered, for at most GIVE_WAY_MS, so that the work still moves
 * on under steady traffic.
 */
export function giveWayFromNow(requests: RequestsInFlight): () => Promise<void> {
  const since = performance.now();
  return () => requests.settled(since, GIVE_WAY_MS);
}

export function trackRequestsInFlight(app: FastifyInstance): RequestsInFlight {
  const arrived = new Map<object, number>();
  const waiters = new Set<() => void>();
  const answered = (raw: object) => {
    if (!arrived.delete(raw)) return;
    for (const check of [...waiters]) check();
  };
  app.addHook('onRequest', async (request) => {
    arrived.set(request.raw, performance.now());
  });
  app.addHook('onResponse', async (request) => answered(request.raw));
  app.addHook('onRequestAbort', async (request) => answered(request.raw));

  return {
    settled(since, atMostMs) {
      const busy = () => {
        for (const at of arrived.values()) if (at > since) return true;
        return false;
      };
      return new Promise<void>((resolve) => {
        let finished = false;
        const done = () => {
          finished = true;
          clearTimeout(deadline);
          waiters.delete(check);
          resolve();
        };
        const check = () => {
          if (!busy()) done();
        };
        const deadline = setTimeout(done, atMostMs);
        setImmediate(() => {
          if (finished) return;
          waiters.add(check);
          check();
        });
      });
    },
  };
}
