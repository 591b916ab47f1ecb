/**
 * One job in a fresh worker thread, with a memory limit (V8's resourceLimits) and a time limit
 * (the thread is terminated): for work that a hostile file can make arbitrarily long or large, such as
 * filling a DOCX template or parsing a spreadsheet. The event loop that answers requests only waits
 * for a message, and whatever the job does, it cannot take the server's memory or time with it.
 * `runJob` is the caller's side; `serveJob` is called by the worker's entry file.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { AppError, type FieldProblem } from '../errors.js';

export interface JobLimits {
  /** The job is stopped after this long. */
  timeoutMs: number;
  /** The worker's JavaScript heap (old generation); past it the worker is stopped. */
  memoryMb: number;
}

export type JobOutcome<T> =
  { ok: true; value: T } | { ok: false; reason: 'timeout' | 'memory' } | { ok: false; reason: 'error'; error: Error };

type Reply<T> =
  | { value: T }
  | { appError: { code: string; status: number; message: string; problems: FieldProblem[] } }
  | { message: string };

/**
 * Running from the TypeScript sources (tests), the worker is TypeScript: Node runs it with its own type
 * transform, and this resolve hook maps `./x.js` (as the sources import) to `./x.ts` when the .js is
 * missing. The compiled build (dist) has the .js files and uses neither.
 */
const TS_SOURCES_HOOK = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  try { return next(specifier, context); } catch (error) {
    if (/^\\.\\.?\\//.test(specifier) && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
} });`;

/** The worker entry beside the calling module: `name`.ts when running from the sources, `name`.js when built. */
export function workerEntry(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

export function runJob<T>(entry: URL, input: unknown, limits: JobLimits): Promise<JobOutcome<T>> {
  const fromSources = entry.pathname.endsWith('.ts');
  const worker = new Worker(entry, {
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    execArgv: fromSources
      ? [
          '--experimental-transform-types',
          '--disable-warning=ExperimentalWarning',
          '--import',
          `data:text/javascript,${encodeURIComponent(TS_SOURCES_HOOK)}`,
        ]
      : [],
    stdout: false,
    stderr: false,
  });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: JobOutcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), limits.timeoutMs);
    worker.once('message', (reply: Reply<T>) => {
      if ('value' in reply) settle({ ok: true, value: reply.value });
      else if ('appError' in reply) {
        const { code, status, message, problems } = reply.appError;
        settle({ ok: false, reason: 'error', error: new AppError(code, status, message, problems) });
      } else settle({ ok: false, reason: 'error', error: new Error(reply.message) });
    });
    worker.once('error', (error: Error & { code?: string }) =>
      settle(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, reason: 'memory' }
          : { ok: false, reason: 'error', error },
      ),
    );
    worker.once('exit', () => settle({ ok: false, reason: 'error', error: new Error('the worker stopped') }));
  });
}

/** In a worker's entry file: runs `handle` on the job's input and sends back its value or its error. */
export function serveJob<I, T>(handle: (input: I) => Promise<{ value: T; transfer?: ArrayBuffer[] }>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJob runs in a worker thread');
  handle(workerData as I).then(
    ({ value, transfer }) => port.postMessage({ value } satisfies Reply<T>, transfer ?? []),
    (error: unknown) =>
      port.postMessage(
        (error instanceof AppError
          ? {
              appError: { code: error.code, status: error.status, message: error.message, problems: error.problems },
            }
          : { message: error instanceof Error ? error.message : String(error) }) satisfies Reply<T>,
      ),
  );
}
