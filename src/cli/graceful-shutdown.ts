/**
 * What `kloe serve` does on SIGTERM or SIGINT (a container runtime stopping it, Ctrl+C): stop accepting
 * connections, let the requests in flight finish, close the database and exit. Idle keep-alive connections
 * are closed at once (src/web/drain.ts), so they do not hold the process for the keep-alive timeout; the
 * whole stop is bounded, because a runtime kills a process that outlives its grace period (10 s by default).
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/database.js';

export function stopOnSignals(app: FastifyInstance, database: DatabaseHandle, options: { timeoutSeconds: number }) {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // SIGTERM after SIGINT (or the reverse) changes nothing. A second signal of the same kind finds no handler
    // left (once) and ends the process at once, as a second Ctrl+C should.
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal} received: finishing the requests in flight, then stopping`);
    const deadline = setTimeout(() => {
      app.log.warn(`requests still running ${options.timeoutSeconds} s after ${signal}; stopping without them`);
      process.exit(1);
    }, options.timeoutSeconds * 1000);
    deadline.unref();
    try {
      await app.close();
      await database.close();
    } catch (error) {
      app.log.error({ err: error }, 'shutting down failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}
