/**
 * The evidence of an assessment in the kloe-assessment/1 format: items, links and files by SHA-256 exported,
 * with their bytes on request, and imported into a second installation with its own evidence folder, the
 * bytes identical; a file neither carried nor held there, or bytes not matching their SHA-256, refuse the
 * whole import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { AppError } from '../../errors.js';
import { useTestApp } from '../../testing/test-app.js';
import { testConfig } from '../../testing/test-config.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createFileSystemStorage, type EvidenceStorage } from '../evidence/evidence-storage.js';
import { itemBody, linkBody } from '../evidence/evidence.schemas.js';
import { createEvidenceService } from '../evidence/evidence.service.js';
import { evidenceItems } from '../evidence/evidence.tables.js';
import { createFrameworksService } from '../frameworks/frameworks.service.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { exportAssessment } from './assessment-export.js';
import type { AssessmentExport } from './assessment-export.schema.js';
import { importAssessment } from './assessment-import.js';
import { createAssessmentsService } from './assessments.service.js';
import { assessments } from './assessments.tables.js';
import { uploadOfBytes } from '../../testing/uploads.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const FILE_TEXT = 'Repairs completed within target: 92% in 2025/26.\n';

interface Installation {
  database: TestDatabase;
  storage: EvidenceStorage;
  admin: TestUser;
  lead: TestUser;
  serviceId: string;
  organisationId: string;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-export-evidence-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The framework, one organisation and service known by the same code and name, the same people by email. */
async function installation(driver: Parameters<typeof createTestDatabase>[0], name: string): Promise<Installation> {
  const database = await createTestDatabase(driver);
  const { db } = database;
  await createFrameworksService({ db }).ensureBuiltins();
  const organisation = await createTestOrganisation(db, { code: 'E09000778' });
  const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
    name: 'Housing repairs',
    description: null,
  });
  return {
    database,
    storage: createFileSystemStorage(path.join(tmp, name)),
    admin: await createTestUser(db, 'administrator', { email: 'ada@example.test' }),
    lead: await createTestUser(db, 'inspector', { email: 'lead@example.test' }),
    serviceId: service.id,
    organisationId: organisation.id,
  };
}

const rowCounts = async (i: Installation) => ({
  assessments: (await i.database.db.select({ n: count() }).from(assessments))[0]!.n,
  items: (await i.database.db.select({ n: count() }).from(evidenceItems))[0]!.n,
});

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, fields: error.problems.map((p) => p.field) };
  }
  throw new Error('the import was not refused');
}

/** An inspection holding one evidence item with one file, linked to statement 4.1-P1; its id. */
async function assessmentWithEvidence(i: Installation): Promise<string> {
  const { db } = i.database;
  const assessment = await createAssessmentsService({ db }).create(SYSTEM, {
    organisationId: i.organisationId,
    serviceId: i.serviceId,
    kind: 'inspection',
    title: 'Inspection of housing repairs',
    frameworkId: 'audit-commission-j2',
    leadUserId: i.lead.actor.userId,
  });
  const evidence = createEvidenceService({
    db,
    storage: i.storage,
    limits: { maxBytes: 1_000_000, types: ['txt'] },
  });
  const item = await evidence.create(
    SYSTEM,
    assessment.id,
    itemBody.parse({ title: 'Repairs performance', kind: 'performance_data', source: 'Repairs team' }),
    [await uploadOfBytes('repairs.txt', Buffer.from(FILE_TEXT))],
  );
  await evidence.extractionIdle();
  await evidence.addLink(
    SYSTEM,
    assessment.id,
    item.id,
    linkBody.parse({ target: '4.1-P1', stance: 'supports', quote: '92% in 2025/26' }),
  );
  return assessment.id;
}

describeEachDatabase('assessment export and import with evidence', (driver) => {
  let source: Installation;
  let target: Installation;
  let withFiles: AssessmentExport;
  let sha256: string;

  beforeAll(async () => {
    source = await installation(driver, `source-${driver}`);
    target = await installation(driver, `target-${driver}`);
    const assessmentId = await assessmentWithEvidence(source);
    withFiles = await exportAssessment(source.database.db, SYSTEM, assessmentId, { readFile: source.storage.read });
    sha256 = withFiles.evidence![0]!.files[0]!.sha256;
  });
  afterAll(async () => {
    await source?.database.close();
    await target?.database.close();
  });

  it('exports items, links and files by SHA-256, and the bytes only when asked', async () => {
    expect(withFiles.evidence).toMatchObject([
      {
        title: 'Repairs performance',
        kind: 'performance_data',
        source: 'Repairs team',
        files: [
          {
            name: 'repairs.txt',
            mediaType: 'text/plain',
            size: FILE_TEXT.length,
            contentBase64: Buffer.from(FILE_TEXT).toString('base64'),
          },
        ],
        links: [{ kloeRef: '4.1', statementRef: '4.1-P1', stance: 'supports', quote: '92% in 2025/26' }],
      },
    ]);
    const metadataOnly = await exportAssessment(source.database.db, SYSTEM, withFiles.assessment.id);
    expect(metadataOnly.evidence![0]!.files[0]).not.toHaveProperty('contentBase64');
  });

  it('refuses a file neither carried nor held here, and bytes not matching their SHA-256, saving nothing', async () => {
    const before = await rowCounts(target);
    const withoutBytes = structuredClone(withFiles);
    delete withoutBytes.evidence![0]!.files[0]!.contentBase64;
    const options = { asNew: true, storage: target.storage };
    expect(await refusal(importAssessment(target.database.db, SYSTEM, withoutBytes, options))).toEqual({
      status: 400,
      fields: ['evidence.0.files.0.sha256'],
    });
    const tampered = structuredClone(withFiles);
    tampered.evidence![0]!.files[0]!.contentBase64 = Buffer.from(FILE_TEXT.replace('92', '29')).toString('base64');
    expect(await refusal(importAssessment(target.database.db, SYSTEM, tampered, options))).toEqual({
      status: 400,
      fields: ['evidence.0.files.0.contentBase64'],
    });
    expect(await rowCounts(target)).toEqual(before);
    expect(await target.storage.has(sha256)).toBe(false);
  });

  it('imports the evidence with its files into another installation, byte for byte', async () => {
    const outcome = await importAssessment(target.database.db, SYSTEM, JSON.parse(JSON.stringify(withFiles)), {
      storage: target.storage,
    });
    expect(outcome.counts.evidence).toBe(1);
    expect((await target.storage.read(sha256)).toString()).toBe(FILE_TEXT);
    const again = await exportAssessment(target.database.db, SYSTEM, outcome.id, { readFile: target.storage.read });
    expect(again.evidence).toEqual(withFiles.evidence);
  });
});

describeEachDatabase('assessment export and import with evidence, over the API', (driver) => {
  const t = useTestApp(driver);
  let i: Installation;
  let id: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db);
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Housing repairs',
      description: null,
    });
    i = {
      database: t.database,
      storage: createFileSystemStorage(testConfig().evidence.dir),
      admin: await createTestUser(db, 'administrator'),
      lead: await createTestUser(db, 'inspector'),
      serviceId: service.id,
      organisationId: organisation.id,
    };
    id = await assessmentWithEvidence(i);
  });

  it('carries the bytes with withFiles=true, and imports them as new for an administrator', async () => {
    const plain = await t.app.inject({ url: `/api/assessments/${id}/export`, headers: i.lead.headers });
    expect(plain.json().evidence[0].files[0]).not.toHaveProperty('contentBase64');
    const res = await t.app.inject({ url: `/api/assessments/${id}/export?withFiles=true`, headers: i.lead.headers });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Buffer.from(doc.evidence[0].files[0].contentBase64, 'base64').toString()).toBe(FILE_TEXT);
    const copy = await t.app.inject({
      method: 'POST',
      url: '/api/assessments/import?asNew=true',
      headers: i.admin.headers,
      payload: doc,
    });
    expect(copy.statusCode).toBe(201);
    expect(copy.json().counts.evidence).toBe(1);
  });

  it('refuses a withFiles that is not true or false, naming it', async () => {
    const res = await t.app.inject({ url: `/api/assessments/${id}/export?withFiles=yes`, headers: i.lead.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toMatch(/withFiles/);
  });
});
