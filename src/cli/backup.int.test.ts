/**
 * `kloe backup` while `kloe serve` holds the embedded data folder, then `kloe restore` into a new folder: the
 * records and the evidence file come back byte for byte and kloe starts there; a backup with one byte changed,
 * or a folder that is not empty, is refused with one line and exit code 1, and nothing is left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createAssessmentsService } from '../modules/assessments/assessments.service.js';
import { createFileSystemStorage, evidenceFilePath } from '../modules/evidence/evidence-storage.js';
import { itemBody } from '../modules/evidence/evidence.schemas.js';
import { createEvidenceService } from '../modules/evidence/evidence.service.js';
import { createFrameworksService } from '../modules/frameworks/frameworks.service.js';
import { services } from '../modules/organisations/organisations.tables.js';
import { createTestOrganisation } from '../modules/organisations/testing/test-organisations.js';
import { createTestUser } from '../testing/test-users.js';
import { assertBuilt, kloeInProcess, startKloeServer } from './testing/run-cli.js';
import { uploadOfBytes } from '../testing/uploads.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const FILE_TEXT = 'Tenant survey 2026: 81% satisfied with repairs, up from 74%.\n';

let tmp: string;
beforeAll(() => {
  assertBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-backup-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const env = (dataDir: string) => ({ DATA_DIR: dataDir, KLOE_DEMO: 'off' });
const kloe = (args: string[], dataDir: string) => kloeInProcess(args, env(dataDir));

/** A few records, as kloe's services make them: an assessment holding one evidence item with one file. */
async function seed(dataDir: string) {
  const config = loadConfig(env(dataDir));
  const database = await openDatabase({ dataDir });
  try {
    const { db } = database;
    await createFrameworksService({ db }).ensureBuiltins();
    const lead = await createTestUser(db, 'inspector');
    const organisation = await createTestOrganisation(db);
    const [service] = await db
      .insert(services)
      .values({ organisationId: organisation.id, name: 'Repairs' })
      .returning();
    const assessment = await createAssessmentsService({ db }).create(SYSTEM, {
      organisationId: organisation.id,
      serviceId: service!.id,
      kind: 'inspection',
      title: 'Inspection of repairs',
      frameworkId: 'audit-commission-j2',
      leadUserId: lead.actor.userId,
    });
    const evidence = createEvidenceService({
      db,
      storage: createFileSystemStorage(config.evidence.dir),
      limits: config.evidence,
    });
    const input = itemBody.parse({ title: 'Tenant survey', kind: 'survey' });
    const item = await evidence.create(SYSTEM, assessment.id, input, [
      await uploadOfBytes('survey.txt', Buffer.from(FILE_TEXT)),
    ]);
    await evidence.extractionIdle();
    const { files } = await evidence.get(SYSTEM, assessment.id, item.id);
    return { assessmentId: assessment.id, sha256: files[0]!.sha256 };
  } finally {
    await database.close();
  }
}

describe('kloe backup and kloe restore (embedded database)', () => {
  let backupFile: string;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const restored = () => path.join(tmp, 'restored');

  it('backs up while kloe serves and restores records and files byte for byte', async () => {
    const source = path.join(tmp, 'source');
    seeded = await seed(source);
    backupFile = path.join(tmp, 'kloe.backup');
    const server = await startKloeServer(env(source));
    try {
      // The serving process holds the folder: only it can read the database, so this backup is an online one.
      expect((await kloe(['migrate'], source)).stderr).toMatch(/in use by another kloe process/);
      // Its backup socket lies in a folder no other user may enter.
      expect(fs.statSync(path.join(source, 'kloe-backup')).mode & 0o777).toBe(0o700);
      const backup = await kloe(['backup', backupFile], source);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
    } finally {
      await server.stop();
    }

    const restore = await kloe(['restore', backupFile], restored());
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/the database and 1 evidence files, every SHA-256 checked; audit trail intact/);
    const restoredFile = evidenceFilePath(path.join(restored(), 'evidence'), seeded.sha256);
    expect(fs.readFileSync(restoredFile, 'utf8')).toBe(FILE_TEXT);

    const again = await startKloeServer(env(restored()));
    try {
      expect((await fetch(`${again.url}/health`)).status).toBe(200);
    } finally {
      await again.stop();
    }
    const items = JSON.parse((await kloe(['evidence', 'list', seeded.assessmentId, '--json'], restored())).stdout);
    expect(items).toMatchObject([{ title: 'Tenant survey', kind: 'survey', files: 1 }]);
  });

  it('backs up a stopped installation as it is, without migrating it first', async () => {
    // A database no kloe has migrated yet stands for one an older version left before an upgrade.
    const unmigrated = path.join(tmp, 'unmigrated');
    await (await openDatabase({ dataDir: unmigrated, migrate: false })).close();
    const backup = await kloe(['backup', path.join(tmp, 'unmigrated.backup')], unmigrated);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const database = await openDatabase({ dataDir: unmigrated, migrate: false });
    try {
      const found = (await database.db.execute(
        sql`select to_regclass('drizzle.__drizzle_migrations') as migrations`,
      )) as unknown as { rows: unknown[] };
      expect(found.rows).toEqual([{ migrations: null }]);
    } finally {
      await database.close();
    }
  });

  it('refuses a backup with one byte of an evidence file changed, leaving no folder behind', async () => {
    const bytes = fs.readFileSync(backupFile);
    const at = bytes.indexOf(FILE_TEXT);
    expect(at).toBeGreaterThan(0);
    bytes[at] = bytes[at]! ^ 1;
    const damaged = path.join(tmp, 'damaged.backup');
    fs.writeFileSync(damaged, bytes);
    const target = path.join(tmp, 'from-damaged');

    const restore = await kloe(['restore', damaged], target);
    expect(restore.stderr).toBe(
      `kloe: ${damaged} is damaged: evidence/${seeded.sha256} does not match the SHA-256 in its manifest\n`,
    );
    expect(restore.code).toBe(1);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses to restore into a folder that is not empty', async () => {
    const restore = await kloe(['restore', backupFile], restored());
    expect(restore.stderr).toBe(`kloe: ${restored()} is not empty: restore into an empty or new folder\n`);
    expect(restore.code).toBe(1);
  });
});
