/**
 * What `kloe restore` refuses, on backups written by writeBackup and then altered: every refusal is one
 * BackupError naming the entry, and leaves the target folders as empty as it found them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSystemStorage, storeBytes } from '../modules/evidence/evidence-storage.js';
import { BackupError } from './backup-error.js';
import { MANIFEST_ENTRY, type BackupManifest } from './backup-manifest.js';
import { restoreBackup } from './restore-backup.js';
import { writeBackup } from './write-backup.js';

const DUMP = 'not really a database, but bytes all the same';
const FILE = Buffer.from('minutes of the focus group\n');
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');

let tmp: string;
let backupFile: string;
const target = () => ({ dataDir: path.join(tmp, 'restored'), evidenceDir: path.join(tmp, 'restored', 'evidence') });

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-restore-'));
  const evidenceDir = path.join(tmp, 'evidence');
  await storeBytes(createFileSystemStorage(evidenceDir), FILE_SHA, FILE);
  backupFile = path.join(tmp, 'kloe.backup');
  await writeBackup({ dumpDatabase: async () => new Blob([DUMP]), evidenceDir }, fs.createWriteStream(backupFile));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The backup's entries, each changed by `edit` (or left out when it returns undefined). */
async function rewrite(edit: (name: string, bytes: Buffer) => Buffer | undefined): Promise<string> {
  const entries: { name: string; bytes: Buffer }[] = [];
  const extract = tar.extract();
  fs.createReadStream(backupFile).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const bytes = edit(entry.header.name, Buffer.concat(chunks));
    if (bytes) entries.push({ name: entry.header.name, bytes });
  }
  const pack = tar.pack();
  for (const { name, bytes } of entries) pack.entry({ name }, bytes);
  pack.finalize();
  const altered = path.join(tmp, 'altered.backup');
  const out = fs.createWriteStream(altered);
  await new Promise<void>((resolve, reject) =>
    pack
      .pipe(out)
      .once('finish', () => resolve())
      .once('error', reject),
  );
  return altered;
}

const editManifest = (change: (m: BackupManifest) => void) => (name: string, bytes: Buffer) => {
  if (name !== MANIFEST_ENTRY) return bytes;
  const manifest = JSON.parse(bytes.toString()) as BackupManifest;
  change(manifest);
  return Buffer.from(JSON.stringify(manifest));
};

async function refusal(file: string, check: () => Promise<unknown> = async () => 'checked') {
  const error = await restoreBackup(file, target(), check).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect(fs.existsSync(target().dataDir)).toBe(false);
  return (error as BackupError).message.replace(`${file} `, '');
}

describe('restoreBackup', () => {
  it('restores the dump and the evidence file under its SHA-256', async () => {
    let dump = '';
    const { manifest } = await restoreBackup(backupFile, target(), async (blob) => (dump = await blob.text()));
    expect(dump).toBe(DUMP);
    expect(manifest.files.map((f) => f.path)).toEqual(['database/pgdata.tar.gz', `evidence/${FILE_SHA}`]);
    expect(await createFileSystemStorage(target().evidenceDir).read(FILE_SHA)).toEqual(FILE);
  });

  it.each<[string, (name: string, bytes: Buffer) => Buffer | undefined, string]>([
    [
      'without a manifest',
      (name, bytes) => (name === MANIFEST_ENTRY ? undefined : bytes),
      'is not a kloe backup: it has no manifest',
    ],
    [
      'missing a file it lists',
      (name, bytes) => (name.startsWith('evidence/') ? undefined : bytes),
      `is damaged: evidence/${FILE_SHA} is missing`,
    ],
    [
      'with a file and its manifest line both changed, the file no longer its name',
      (name, bytes) => {
        if (name.startsWith('evidence/')) return Buffer.from('forged minutes\n');
        return editManifest((m) => {
          m.files[1]!.sha256 = createHash('sha256').update('forged minutes\n').digest('hex');
          m.files[1]!.size = 'forged minutes\n'.length;
        })(name, bytes);
      },
      `is damaged: evidence/${FILE_SHA} does not match the SHA-256 it is named by`,
    ],
    [
      'holding a file its manifest does not list',
      editManifest((m) => void m.files.pop()),
      `is damaged: evidence/${FILE_SHA} is not in its manifest`,
    ],
    [
      'with a changed database',
      (name, bytes) => (name.startsWith('database/') ? Buffer.from(`${DUMP}!`) : bytes),
      'is damaged: database/pgdata.tar.gz does not match the SHA-256 in its manifest',
    ],
  ])('refuses a backup %s', async (_name, edit, message) => {
    expect(await refusal(await rewrite(edit))).toBe(message);
  });

  it('refuses a file that is not a backup', async () => {
    const notTar = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notTar, 'x'.repeat(2000));
    expect(await refusal(notTar)).toMatch(/^cannot read the backup .*notes\.txt: /);
  });

  it('removes everything it wrote when the check of the database fails', async () => {
    const message = await refusal(backupFile, async () => {
      throw new BackupError('audit trail broken: entry 3 was edited');
    });
    expect(message).toBe('audit trail broken: entry 3 was edited');
  });
});
