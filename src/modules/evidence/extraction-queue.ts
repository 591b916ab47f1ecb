/**
 * Text extraction off the request path: small files are extracted while the upload waits (their text is
 * searchable as soon as the page comes back); larger ones are extracted in the background, one at a time
 * per process so a big PDF never takes both cores, and the file's status (pending → done / failed) is what
 * pages show.
 *
 * The server gives the background work to the job queue (src/modules/jobs): each new file's job is added in
 * the transaction that stores it, so it runs once on whichever node takes it, is retried if that node dies,
 * and is never lost between the commit and the queue. A job finding its file no longer pending does
 * nothing (the upload request extracted a small file itself). Without a job queue (the command line) an
 * in-process line does the same; files it leaves pending are picked up at the next start, so stopping does
 * not wait for it: it abandons the file being read and leaves the rest pending.
 */
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../jobs/index.js';
import type { EvidenceStorage } from './evidence-storage.js';
import * as repo from './evidence.repository.js';
import { fileTypeOf } from '../../files/file-types.js';
import { extractText } from './text-extraction.js';
import { passGate } from './extraction-gate.js';

/** Files up to this size are extracted inside the upload request. */
export const SYNC_EXTRACT_BYTES = 512 * 1024;

export interface QueuedFile {
  id: string;
  sha256: string;
  mediaType: string;
}

/** The job type of a file's extraction; its payload names the file. */
export const EXTRACT_JOB = 'evidence.extract';

export interface ExtractionQueue {
  /** A new file was stored in `tx`: with a job queue, its extraction job is added there. */
  stored(tx: Database, file: QueuedFile): Promise<void>;
  /** Extracts now (awaited) or later, by size. */
  extract(file: QueuedFile & { size: number }): Promise<void>;
  enqueue(file: QueuedFile): void;
  /** Resolves when the queue is empty (tests, the benchmark, a command that waits for the text). */
  idle(): Promise<void>;
  /**
   * Takes no further file and drops the result of the one being read: they all stay pending, for the next
   * start. A server stopping calls this rather than wait for a queue of large files.
   */
  stop(): void;
  resumePending(): Promise<void>;
}

export function createExtractionQueue(deps: {
  db: Database;
  storage: EvidenceStorage;
  /** Told which file's text has arrived (to rank suggestions again). */
  onExtracted?: (fileId: string) => Promise<void>;
  log?: (message: string, error: unknown) => void;
  /** The shared job queue (a server); absent, background extraction runs in this process. */
  jobs?: JobQueue;
  /** Tests of kloe only: a job waits for this file before it reads (extraction-gate.ts). */
  testGate?: string | undefined;
}): ExtractionQueue {
  const { db, storage, jobs } = deps;
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;

  // Stopping leaves the file pending; a job must not count as done then, so it says it was given up.
  const givenUp = () => {
    if (jobs) throw new Error('extraction given up: the server is stopping');
  };

  async function run(file: QueuedFile): Promise<void> {
    if (stopped) return givenUp();
    const type = fileTypeOf(file.mediaType);
    const result = type
      ? await extractText(type, await storage.read(file.sha256))
      : ({ status: 'failed', error: `no reader for ${file.mediaType}` } as const);
    if (stopped) return givenUp();
    await repo.setExtraction(db, file.id, {
      status: result.status,
      text: result.status === 'done' ? result.text : null,
      error: result.status === 'failed' ? result.error : null,
    });
    await deps.onExtracted?.(file.id);
  }

  // A failure here is a bug or a lost database, not a bad file (extractText never throws for those):
  // the file stays pending, to be retried at the next start, and the queue carries on.
  const guarded = (file: QueuedFile) => run(file).catch((error: unknown) => deps.log?.('extraction failed', error));

  // Thrown errors (a lost database, a store that does not answer) make the job queue retry the job.
  jobs?.handle<{ fileId: string }>(EXTRACT_JOB, async ({ fileId }, job) => {
    const file = await repo.pendingFile(db, fileId);
    if (!file) return;
    if (deps.testGate) await passGate(deps.testGate, job.signal);
    await run(file);
  });

  const queue: ExtractionQueue = {
    async stored(tx, file) {
      await jobs?.enqueue(EXTRACT_JOB, { fileId: file.id }, { tx });
    },
    async extract(file) {
      if (file.size <= SYNC_EXTRACT_BYTES) await run(file);
      else if (!jobs) queue.enqueue(file);
    },
    enqueue(file) {
      if (jobs) {
        jobs
          .enqueue(EXTRACT_JOB, { fileId: file.id })
          .catch((error: unknown) => deps.log?.('extraction not queued', error));
        return;
      }
      tail = tail.then(() => guarded(file));
    },
    async idle() {
      if (jobs) return jobs.settled([EXTRACT_JOB]);
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
    stop() {
      stopped = true;
    },
    async resumePending() {
      // Jobs outlive the process that added them: only the in-process line needs picking up again.
      if (jobs) return;
      for (const file of await repo.pendingFiles(db)) queue.enqueue(file);
    },
  };
  return queue;
}
