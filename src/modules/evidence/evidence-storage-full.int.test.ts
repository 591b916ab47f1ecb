/** An upload when the evidence folder's disk is full: 507 saying so, and nothing half-saved. */
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../app.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { prepareDatabase } from '../../startup.js';
import { testConfig } from '../../testing/test-config.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { createFileSystemStorage, type EvidenceStorage } from './evidence-storage.js';
import { multipartBody } from '../../files/multipart-body.js';

/** The evidence folder on a disk with no space left: every write fails as the file system says. */
function fullDisk(folder: string): EvidenceStorage {
  return {
    ...createFileSystemStorage(folder),
    async put() {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    },
  };
}

describeEachDatabase('evidence upload on a full disk', (driver) => {
  let database: TestDatabase;
  let app: App;
  let member: TestUser;
  let assessmentId: string;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    const config = testConfig();
    await prepareDatabase(database, config);
    const folder = path.join(inject('runFolder'), `evidence-full-${driver}-${process.pid}`);
    app = await buildApp({ config, database, logger: false, evidenceStorage: fullDisk(folder) });
    const organisation = await createTestOrganisation(database.db, { name: 'Full Disk Council' });
    const service = await createOrganisationsService({ db: database.db }).createService(
      { kind: 'system', label: 'test' },
      organisation.id,
      { name: 'Housing repairs' },
    );
    member = await createTestUser(database.db, 'organisation_member', { organisationId: organisation.id });
    const res = await app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: { organisationId: organisation.id, serviceId: service.id, kind: 'self_assessment', title: 'Repairs' },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('answers 507 Insufficient Storage saying storage is full, and keeps no item', async () => {
    const { payload, headers } = multipartBody({ title: 'Repairs plan', kind: 'document' }, [
      { name: 'plan.txt', type: 'text/plain', bytes: Buffer.from('The repairs plan.') },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence`,
      headers: { ...member.headers, ...headers },
      payload,
    });
    expect(res.statusCode).toBe(507);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 507, code: 'storage_full', title: 'Insufficient storage' });
    expect(res.json().detail).toMatch(/storage is full/);

    const list = await app.inject({ url: `/api/assessments/${assessmentId}/evidence`, headers: member.headers });
    expect(list.json().items ?? list.json()).toHaveLength(0);
  });
});
