/**
 * Text extraction off the request path: small files are extracted while the upload waits (their text is
 * searchable as soon as the page comes back); larger ones join this in-process queue, one at a time so a
 * big PDF never takes both cores, and the file's status (pending → done / failed) is what pages show.
 * Files left pending by a stopped process are picked up again at start, so stopping does not wait for the
 * queue: it abandons the file being read and leaves the rest pending.
 */
import type { Database } from '../../db/database.js';
import type { EvidenceStorage } from './evidence-storage.js';
import * as repo from './evidence.repository.js';
import { fileTypeOf } from '../../files/file-types.js';
import { extractText } from './text-extraction.js';

/** Files up to this size are extracted inside the upload request. */
export const SYNC_EXTRACT_BYTES = 512 * 1024;

export interface QueuedFile {
  id: string;
  sha256: string;
  mediaType: string;
}

export interface ExtractionQueue {
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
}): ExtractionQueue {
  const { db, storage } = deps;
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;

  async function run(file: QueuedFile): Promise<void> {
    if (stopped) return;
    const type = fileTypeOf(file.mediaType);
    const result = type
      ? await extractText(type, await storage.read(file.sha256))
      : ({ status: 'failed', error: `no reader for ${file.mediaType}` } as const);
    if (stopped) return;
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

  const queue: ExtractionQueue = {
    async extract(file) {
      if (file.size <= SYNC_EXTRACT_BYTES) await run(file);
      else queue.enqueue(file);
    },
    enqueue(file) {
      tail = tail.then(() => guarded(file));
    },
    async idle() {
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
      for (const file of await repo.pendingFiles(db)) queue.enqueue(file);
    },
  };
  return queue;
}
