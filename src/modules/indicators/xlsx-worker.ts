/**
 * The worker thread's entry for import-file.ts: the first sheet of an XLSX workbook as rows of cells.
 * The workbook is unzipped under the cap (counted as it inflates) and read-excel-file is given only
 * those bytes, packed again.
 */
import { readSheet } from 'read-excel-file/node';
import { serveJob } from '../../concurrency/worker-job.js';
import { readZipEntries, repack } from '../../files/zip-entries.js';

export interface XlsxJob {
  bytes: Uint8Array;
  inflatedBytes: number;
}

serveJob<XlsxJob, unknown[][]>(async ({ bytes, inflatedBytes }) => {
  const workbook = repack(readZipEntries(bytes, (name) => !name.endsWith('/'), inflatedBytes));
  return { value: (await readSheet(Buffer.from(workbook))) as unknown[][] };
});
