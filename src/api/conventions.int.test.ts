/**
 * The conventions every API route follows (docs/api.md): ETag and If-Match beside the version field,
 * Idempotency-Key on creating calls, RateLimit headers and 429, Link headers on paged lists.
 */
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing/test-database.js';
import { useTestApp } from '../testing/test-app.js';
import { createTestUser, type TestUser } from '../testing/test-users.js';
import { organisations } from '../modules/organisations/organisations.tables.js';
import { createOrganisationsService } from '../modules/organisations/organisations.service.js';
import { createTestOrganisation } from '../modules/organisations/testing/test-organisations.js';

describeEachDatabase('API conventions', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let admin: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db);
    const service = await createOrganisationsService({ db }).createService(
      { kind: 'system', label: 'test' },
      organisation.id,
      { name: 'Planning' },
    );
    lead = await createTestUser(db, 'inspector');
    admin = await createTestUser(db, 'administrator');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: lead.headers,
      payload: { organisationId: organisation.id, serviceId: service.id, kind: 'inspection', title: 'Planning' },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });

  const kloeUrl = () => `/api/assessments/${assessmentId}/kloes/4.2`;
  const saveKloe = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'PUT', url: kloeUrl(), headers: { ...lead.headers, ...headers }, payload });

  describe('ETag and If-Match', () => {
    it('answers the version as an ETag and takes it back as If-Match instead of the body’s version', async () => {
      const read = await t.app.inject({ url: kloeUrl(), headers: lead.headers });
      const { version } = read.json();
      expect(read.headers.etag).toBe(`"${version}"`);
      const saved = await saveKloe({ 'if-match': read.headers.etag as string }, { strengths: ['Clear plans'] });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().version).toBe(version + 1);
      expect(saved.headers.etag).toBe(`"${version + 1}"`);

      // Someone saved since: 412 with the same conflict problem and the current version.
      const stale = await saveKloe({ 'if-match': `"${version}"` }, { strengths: ['Mine'] });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({ status: 412, code: 'edit_conflict', current: { version: version + 1 } });
      // The body's field still works, and still answers 409.
      expect((await saveKloe({}, { version, strengths: ['Mine'] })).statusCode).toBe(409);
    });

    it('refuses an If-Match that is not an ETag, or that names another version than the body', async () => {
      const { version } = (await t.app.inject({ url: kloeUrl(), headers: lead.headers })).json();
      const garbled = await saveKloe({ 'if-match': 'three' }, { strengths: ['x'] });
      expect(garbled.statusCode).toBe(400);
      expect(garbled.json().errors).toEqual([{ field: 'headers.if-match', message: expect.any(String) }]);
      const both = await saveKloe({ 'if-match': `"${version}"` }, { version: version + 5, strengths: ['x'] });
      expect(both.statusCode).toBe(400);
      expect(both.json().errors[0].field).toBe('headers.if-match');
      expect((await t.app.inject({ url: kloeUrl(), headers: lead.headers })).json().version).toBe(version);
    });

    it('gives the assessment itself an ETag too', async () => {
      const res = await t.app.inject({ url: `/api/assessments/${assessmentId}`, headers: lead.headers });
      expect(res.headers.etag).toBe(`"${res.json().version}"`);
    });
  });

  describe('Idempotency-Key', () => {
    const organisationCount = async () => (await t.database.db.select({ n: count() }).from(organisations))[0]!.n;
    const create = (key: string | undefined, code: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        headers: { ...admin.headers, ...(key ? { 'idempotency-key': key } : {}) },
        payload: { code, name: `Council ${code}`, type: 'council' },
      });

    it('answers a repeated creating call with the first answer, creating once', async () => {
      const before = await organisationCount();
      const first = await create('key-1', 'IDEM1');
      expect(first.statusCode, first.body).toBe(201);
      const again = await create('key-1', 'IDEM1');
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await organisationCount()).toBe(before + 1);
    });

    it('refuses the same key with another body (422), saving nothing', async () => {
      expect((await create('key-2', 'IDEM2')).statusCode).toBe(201);
      const before = await organisationCount();
      const reused = await create('key-2', 'IDEM3');
      expect(reused.statusCode).toBe(422);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      expect(reused.json()).toMatchObject({
        code: 'idempotency_key_reused',
        errors: [{ field: 'headers.idempotency-key', message: expect.any(String) }],
      });
      expect(await organisationCount()).toBe(before);
    });

    it('keeps no error, so a failed call may be sent again with the same key', async () => {
      const duplicate = await create('key-3', 'IDEM1'); // the code is taken
      expect(duplicate.statusCode).toBe(409);
      expect((await create('key-3', 'IDEM4')).statusCode).toBe(201);
    });

    it('keeps each caller’s keys apart, and creates twice without a key', async () => {
      const other = await createTestUser(t.database.db, 'administrator');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        headers: { ...other.headers, 'idempotency-key': 'key-1' },
        payload: { code: 'IDEM5', name: 'Council IDEM5', type: 'council' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect((await create(undefined, 'IDEM6')).statusCode).toBe(201);
      expect((await create(undefined, 'IDEM6')).statusCode).toBe(409);
    });
  });

  describe('pagination', () => {
    it('links the first, previous and next pages of a list', async () => {
      for (const code of ['PAGE1', 'PAGE2', 'PAGE3']) await createTestOrganisation(t.database.db, { code });
      const res = await t.app.inject({ url: '/api/organisations?limit=1&offset=1', headers: admin.headers });
      const { total, limit, offset } = res.json();
      expect({ limit, offset }).toEqual({ limit: 1, offset: 1 });
      expect(total).toBeGreaterThanOrEqual(3);
      expect(res.headers.link).toBe(
        '</api/organisations?limit=1&offset=0>; rel="first", </api/organisations?limit=1&offset=0>; rel="prev", </api/organisations?limit=1&offset=2>; rel="next"',
      );
      const last = await t.app.inject({
        url: `/api/organisations?limit=1&offset=${total - 1}`,
        headers: admin.headers,
      });
      expect(last.headers.link).not.toContain('rel="next"');
    });

    it('pages the people and an assessment’s evidence the same way', async () => {
      for (const title of ['Site visit', 'Interview', 'Survey'])
        expect(
          (
            await t.app.inject({
              method: 'POST',
              url: `/api/assessments/${assessmentId}/evidence`,
              headers: lead.headers,
              payload: { kind: 'document', title },
            })
          ).statusCode,
        ).toBe(201);
      const evidence = await t.app.inject({
        url: `/api/assessments/${assessmentId}/evidence?limit=2`,
        headers: lead.headers,
      });
      expect(evidence.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(evidence.json().items).toHaveLength(2);
      expect(evidence.headers.link).toContain(
        `</api/assessments/${assessmentId}/evidence?limit=2&offset=2>; rel="next"`,
      );
      const rest = await t.app.inject({
        url: `/api/assessments/${assessmentId}/evidence?limit=2&offset=2`,
        headers: lead.headers,
      });
      expect(rest.json().items.map((i: { title: string }) => i.title)).toHaveLength(1);
      const titles = [...evidence.json().items, ...rest.json().items].map((i: { title: string }) => i.title);
      expect(titles.sort()).toEqual(['Interview', 'Site visit', 'Survey']);

      const people = (await t.app.inject({ url: '/api/users?limit=1&offset=1', headers: admin.headers })).json();
      expect(people).toMatchObject({ limit: 1, offset: 1, total: expect.any(Number) });
      expect(people.users).toHaveLength(1);
      expect(people.total).toBeGreaterThanOrEqual(2);
      const tooMany = await t.app.inject({ url: '/api/users?limit=1000', headers: admin.headers });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().errors[0].field).toBe('querystring.limit');
    });
  });
});

describe('API rate limit', () => {
  const t = useTestApp('pglite', { apiRequestsPerMinute: 3 });

  it('says what is left in RateLimit headers, and answers 429 with Retry-After past the limit', async () => {
    const user = await createTestUser(t.database.db, 'viewer');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await t.app.inject({ url: '/api/frameworks', headers: user.headers }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('3');
    expect(Number(answers[0]!.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const refused = answers[3]!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // Each caller has their own allowance; pages are not counted.
    const other = await createTestUser(t.database.db, 'viewer');
    expect((await t.app.inject({ url: '/api/frameworks', headers: other.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/frameworks', headers: user.headers })).statusCode).toBe(200);
  });
});
