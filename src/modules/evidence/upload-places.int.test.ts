import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, expect, inject, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { FILE_TYPES } from '../../files/file-types.js';
import { multipartBody } from '../../files/multipart-body.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

/** Bytes in the files under a folder (none when it does not exist). */
async function bytesUnder(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => (await stat(path.join(e.parentPath, e.name))).size),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

describeEachDatabase('uploads received to disk, a few at a time', (driver) => {
  const dir = path.join(inject('runFolder'), `evidence-places-${driver}-${process.pid}`);
  const t = useTestApp(driver, {
    evidence: { dir, maxBytes: 8 * 1024 * 1024, types: FILE_TYPES, uploadsAtOnce: 1 },
  });
  let member: TestUser;
  let url: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Upload Borough Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Housing repairs',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: { organisationId: organisation.id, serviceId: service.id, kind: 'self_assessment', title: 'Uploads' },
    });
    url = `/api/assessments/${res.json().id}/evidence`;
  });

  it('writes a file to disk as it arrives, answers 503 with Retry-After when no place is free, and cleans up', async () => {
    const incoming = path.join(dir, 'incoming');
    const { payload, headers } = multipartBody({ title: 'Ledger', kind: 'document' }, [
      { name: 'ledger.txt', bytes: Buffer.alloc(4 * 1024 * 1024, 0x61), type: 'text/plain' },
    ]);
    const half = Math.floor(payload.length / 2);
    const body = new PassThrough();
    body.write(payload.subarray(0, half));
    const first = t.app.inject({ method: 'POST', url, headers: { ...member.headers, ...headers }, payload: body });
    // The first half of the file reaches the disk while the rest has not been sent.
    while ((await bytesUnder(incoming)) < 1024 * 1024) await sleep(20);

    const small = multipartBody({ title: 'Note', kind: 'document' }, [{ name: 'note.txt', bytes: Buffer.from('a') }]);
    const busy = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...member.headers, ...small.headers },
      payload: small.payload,
    });
    expect(busy.statusCode, busy.body).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toMatchObject({ code: 'server_busy', retryAfter: 5 });

    body.end(payload.subarray(half));
    const done = await first;
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().files[0]).toMatchObject({ name: 'ledger.txt', size: 4 * 1024 * 1024 });
    expect(await readdir(incoming)).toEqual([]);

    const next = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...member.headers, ...small.headers },
      payload: small.payload,
    });
    expect(next.statusCode, next.body).toBe(201);
  });
});
