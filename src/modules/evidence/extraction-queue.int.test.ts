import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createFileSystemStorage, storeBytes, type EvidenceStorage } from './evidence-storage.js';
import * as repo from './evidence.repository.js';
import { createExtractionQueue } from './extraction-queue.js';

/** The evidence folder, whose first read waits until the test lets it go (a large PDF being read). */
function slowStorage(folder: string) {
  const files = createFileSystemStorage(folder);
  const reads: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let firstReadStarted!: () => void;
  const reading = new Promise<void>((resolve) => (firstReadStarted = resolve));
  const storage: EvidenceStorage = {
    ...files,
    async read(sha256) {
      reads.push(sha256);
      if (reads.length === 1) {
        firstReadStarted();
        await released;
      }
      return files.read(sha256);
    },
  };
  return { storage, reads, reading, release };
}

describeEachDatabase('extraction queue', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.close());

  it('stops between files: the file being read and the queued ones stay pending for the next start', async () => {
    const folder = path.join(inject('runFolder'), `extraction-queue-${driver}-${process.pid}`);
    const { storage, reads, reading, release } = slowStorage(folder);
    for (const text of ['first', 'second', 'third']) {
      const sha256 = createHash('sha256').update(text).digest('hex');
      await storeBytes(storage, sha256, Buffer.from(text));
      await repo.upsertFile(database.db, { sha256, size: text.length, mediaType: 'text/plain', originalName: text });
    }
    const queue = createExtractionQueue({ db: database.db, storage });
    await queue.resumePending();
    await reading;

    queue.stop();
    release();
    await queue.idle();

    expect(reads).toHaveLength(1);
    expect(await repo.pendingFiles(database.db)).toHaveLength(3);
  });
});
