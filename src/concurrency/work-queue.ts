/**
 * A bounded line for work that costs much memory or CPU (printing a PDF, filling a template, receiving
 * an upload): at most `running` tasks at once and `waiting` more in line. Past that the caller is told
 * at once that the server is busy (503 with Retry-After) instead of piling up work until memory runs out.
 * p-queue does the queueing; this adds the bound and the answer when it is reached.
 */
import PQueue from 'p-queue';
import { AppError } from '../errors.js';

export interface WorkQueueLimits {
  /** Tasks that run at the same time. */
  running: number;
  /** Tasks that may wait for one of those; 0: none wait, a task past `running` is refused. */
  waiting: number;
}

/** 503 Service Unavailable with Retry-After (see the error handler): the caller should try again shortly. */
export const serverBusy = (what: string, retryAfterSeconds: number) =>
  new AppError('server_busy', 503, `kloe is busy with other ${what}; try again in a few seconds`, [], {
    retryAfter: retryAfterSeconds,
  });

export interface WorkQueue {
  /** Runs the task when its turn comes; rejects with server_busy (without running it) when the line is full. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves when nothing runs or waits. */
  idle(): Promise<void>;
}

export function createWorkQueue(limits: WorkQueueLimits, busy: () => AppError): WorkQueue {
  const queue = new PQueue({ concurrency: limits.running });
  return {
    run<T>(task: () => Promise<T>) {
      // Counted synchronously: p-queue starts or enqueues a task within add(), so two calls in one tick see each other.
      if (queue.pending + queue.size >= limits.running + limits.waiting) return Promise.reject(busy());
      return queue.add(task);
    },
    idle: () => queue.onIdle(),
  };
}
