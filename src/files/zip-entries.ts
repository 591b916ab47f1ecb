/**
 * Reading a few named entries of a zip archive (DOCX, XLSX) and nothing else, with a cap on the bytes
 * inflated: a zip bomb's declared sizes are not trusted, the inflated bytes are counted as they come.
 * The entries are found by their local headers; a library that reads an archive by its central directory
 * (docx-templates, read-excel-file) is given `repack` of what was read, so it sees only counted bytes.
 */
import { Unzip, UnzipInflate, zipSync } from 'fflate';

/** Inflated Office XML read from one uploaded file, at most (evidence text, indicator workbooks). */
export const OFFICE_XML_CAP = 64 * 1024 * 1024;

export class ZipLimitError extends Error {
  override name = 'ZipLimitError';
}

/** The entries whose names `wanted` accepts, inflated; throws ZipLimitError past `capBytes` in total. */
export function readZipEntries(
  data: Uint8Array,
  wanted: (name: string) => boolean,
  capBytes: number,
): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  let total = 0;
  let failure: Error | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    if (failure || !wanted(file.name)) return;
    const chunks: Uint8Array[] = [];
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = error;
        return;
      }
      total += chunk.length;
      if (total > capBytes) {
        failure = new ZipLimitError(`the archive inflates beyond ${Math.round(capBytes / 1024 / 1024)} MB`);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) found.set(file.name, Buffer.concat(chunks));
    };
    file.start();
  };
  unzip.push(data, true);
  if (failure) throw failure;
  return found;
}

/**
 * Entries read by readZipEntries as a new zip, stored rather than compressed (the reader inflates it at
 * once, and its size is already bounded): a zip whose central directory disagrees with its local headers,
 * a way to hide a bomb from one kind of reader, is shown to the next reader only as it was counted.
 */
export function repack(entries: Map<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(entries), { level: 0 });
}
