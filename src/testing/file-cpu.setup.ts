/**
 * Records the CPU a test file's hooks and tests took in the worker that ran it (user and system time of the
 * worker process, which runs one file at a time), in the file's meta for the slowest-files reporter. Wall time
 * alone hides which files cost the machine most: an integration file mostly waits on PostgreSQL, a child
 * process or a retry's delay, while one on the embedded database computes in the worker.
 */
import { afterAll, beforeAll } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** CPU time of the file's hooks and tests in its worker, in ms. */
    cpuMs?: number;
  }
}

let start: NodeJS.CpuUsage | undefined;

beforeAll(() => {
  start = process.cpuUsage();
});

// Registered before the file's own hooks, so it runs after its last afterAll (Vitest runs them as a stack).
// Vitest reads the first parameter as the fixtures a hook wants, and requires a pattern there; the suite is second.
// eslint-disable-next-line no-empty-pattern
afterAll(({}, suite) => {
  if (!start) return;
  const used = process.cpuUsage(start);
  suite.meta.cpuMs = (used.user + used.system) / 1000;
});
