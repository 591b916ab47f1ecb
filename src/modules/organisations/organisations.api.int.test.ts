import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import type { OrganisationRow } from './organisations.repository.js';
import { createTestOrganisation } from './testing/test-organisations.js';

describeEachDatabase('organisations API', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let inspector: TestUser;
  let memberA: TestUser;
  let viewerA: TestUser;
  let orgA: OrganisationRow;
  let orgB: OrganisationRow;

  beforeAll(async () => {
    const { db } = t.database;
    orgA = await createTestOrganisation(db, { name: 'Alderney Test Council' });
    orgB = await createTestOrganisation(db, { name: 'Bexford Test Homes', type: 'housing_provider' });
    admin = await createTestUser(db, 'administrator');
    inspector = await createTestUser(db, 'inspector');
    memberA = await createTestUser(db, 'organisation_member', { organisationId: orgA.id });
    viewerA = await createTestUser(db, 'viewer', { organisationId: orgA.id });
  });

  const call = (
    user: TestUser | undefined,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, headers: user?.headers ?? {}, ...(payload ? { payload } : {}) });

  const auditOf = (entityType: string, entityId: string) =>
    t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
      .orderBy(asc(auditLog.id));

  describe('administrators', () => {
    it('create an organisation, find it, read it and change it, each change audited with before and after', async () => {
      const created = await call(admin, 'POST', '/api/organisations', {
        code: 'e06000901',
        name: 'Coldharbour Council',
        type: 'council',
        region: 'North East',
        attributes: { population: 93000, deprivationScore: 27.1, roadLengthKm: 812.5 },
      });
      expect(created.statusCode).toBe(201);
      const organisation = created.json();
      expect(organisation).toMatchObject({ code: 'E06000901', name: 'Coldharbour Council', region: 'North East' });

      const found = await call(admin, 'GET', '/api/organisations?q=coldharb&type=council');
      expect(found.json()).toMatchObject({ total: 1, organisations: [{ id: organisation.id }] });
      expect((await call(admin, 'GET', '/api/organisations?q=e06000901')).json().total).toBe(1);
      expect((await call(admin, 'GET', '/api/organisations?q=coldharb&type=police')).json().total).toBe(0);

      const read = await call(admin, 'GET', `/api/organisations/${organisation.id}`);
      expect(read.json()).toEqual(organisation);

      const changed = await call(admin, 'PATCH', `/api/organisations/${organisation.id}`, {
        name: 'Coldharbour City Council',
        attributes: { population: 94500, roadLengthKm: null },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({
        name: 'Coldharbour City Council',
        attributes: { population: 94500, deprivationScore: 27.1 },
      });
      expect(changed.json().attributes).not.toHaveProperty('roadLengthKm');

      const entries = await auditOf('organisation', organisation.id);
      expect(entries.map((e) => e.action)).toEqual(['organisation.created', 'organisation.updated']);
      expect(entries[0]).toMatchObject({ actorId: admin.actor.userId, before: null });
      expect(entries[0]!.after).toMatchObject({ code: 'E06000901', name: 'Coldharbour Council' });
      expect(entries[1]!.before).toMatchObject({ name: 'Coldharbour Council', attributes: { roadLengthKm: 812.5 } });
      expect(entries[1]!.after).toMatchObject({ name: 'Coldharbour City Council', attributes: { population: 94500 } });

      // Sending what is already there changes nothing and records nothing.
      await call(admin, 'PATCH', `/api/organisations/${organisation.id}`, { name: 'Coldharbour City Council' });
      expect(await auditOf('organisation', organisation.id)).toHaveLength(2);
    });

    it('refuses a duplicate code with 409 naming the field, whatever its case', async () => {
      const payload = { code: 'E06000001', name: 'First', type: 'council' };
      expect((await call(admin, 'POST', '/api/organisations', payload)).statusCode).toBe(201);
      const again = await call(admin, 'POST', '/api/organisations', { ...payload, code: 'e06000001', name: 'Second' });
      expect(again.statusCode).toBe(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.json()).toMatchObject({
        code: 'organisation_code_taken',
        errors: [{ field: 'code', message: 'An organisation with code E06000001 already exists' }],
      });

      const renamed = await call(admin, 'PATCH', `/api/organisations/${orgB.id}`, { code: 'e06000001' });
      expect(renamed.statusCode).toBe(409);
      expect(renamed.json().errors).toEqual([
        { field: 'code', message: 'An organisation with code E06000001 already exists' },
      ]);
    });

    it('lets the database decide between concurrent creates of one code: one wins, the others get 409', async () => {
      const payload = (n: number) => ({ code: 'E06000777', name: `Racer ${n}`, type: 'council' });
      const answers = await Promise.all([1, 2, 3, 4].map((n) => call(admin, 'POST', '/api/organisations', payload(n))));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
      for (const lost of answers.filter((a) => a.statusCode === 409)) {
        expect(lost.json().errors[0]).toEqual({
          field: 'code',
          message: 'An organisation with code E06000777 already exists',
        });
      }
      const winner = answers.find((a) => a.statusCode === 201)!.json();
      expect(await auditOf('organisation', winner.id)).toHaveLength(1);
    });

    it.each([
      [
        'every missing field',
        {},
        [
          ['body.code', /Enter the organisation’s code/],
          ['body.name', /Enter the organisation’s name/],
          ['body.type', /Choose the type/],
        ],
      ],
      [
        'a malformed code, an unknown type and a negative population',
        { code: 'E06 0001', name: 'X', type: 'castle', attributes: { population: -1 } },
        [
          ['body.code', /2 to 20 letters, digits or hyphens/],
          ['body.type', /Choose the type/],
          ['body.attributes.population', /0 or more/],
        ],
      ],
      [
        'a text attribute',
        { code: 'E1', name: 'X', type: 'council', attributes: { population: 'many' } },
        [['body.attributes.population', /as a number/]],
      ],
    ])('answers 400 naming the fields for %s', async (_case, payload, expected) => {
      const res = await call(admin, 'POST', '/api/organisations', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('invalid_request');
      const errors: { field: string; message: string }[] = res.json().errors;
      for (const [field, message] of expected as [string, RegExp][]) {
        expect(errors.find((e) => e.field === field)?.message, field).toMatch(message);
      }
    });

    it('answers 400 to a change of nothing and 404 to an unknown or malformed id', async () => {
      expect((await call(admin, 'PATCH', `/api/organisations/${orgA.id}`, {})).statusCode).toBe(400);
      for (const id of [randomUUID(), 'not-an-id']) {
        const res = await call(admin, 'GET', `/api/organisations/${id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().code).toBe('organisation_not_found');
        expect((await call(admin, 'PATCH', `/api/organisations/${id}`, { name: 'X' })).statusCode).toBe(404);
      }
    });
  });

  describe('tenant isolation', () => {
    it('shows a member only their own organisation, and answers 404 for another as for one that does not exist', async () => {
      const list = (await call(memberA, 'GET', '/api/organisations?limit=200')).json();
      expect(list.organisations.map((o: { id: string }) => o.id)).toEqual([orgA.id]);
      expect(list.total).toBe(1);
      expect((await call(memberA, 'GET', `/api/organisations?q=${orgB.code}`)).json().total).toBe(0);

      expect((await call(memberA, 'GET', `/api/organisations/${orgA.id}`)).statusCode).toBe(200);
      const other = await call(memberA, 'GET', `/api/organisations/${orgB.id}`);
      const unknownId = randomUUID();
      const unknown = await call(memberA, 'GET', `/api/organisations/${unknownId}`);
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('organisation_not_found');
      expect(other.json().detail.replace(orgB.id, 'ID')).toBe(unknown.json().detail.replace(unknownId, 'ID'));

      expect((await call(memberA, 'GET', `/api/organisations/${orgB.id}/services`)).statusCode).toBe(404);
      const addToOther = await call(memberA, 'POST', `/api/organisations/${orgB.id}/services`, { name: 'Sneaky' });
      expect(addToOther.statusCode).toBe(404);
      // Even a bad body gets 404 there, where at their own organisation it gets 400: nothing tells the two apart.
      expect((await call(memberA, 'POST', `/api/organisations/${orgB.id}/services`, {})).statusCode).toBe(404);
      expect((await call(memberA, 'POST', `/api/organisations/${orgA.id}/services`, {})).statusCode).toBe(400);
      expect((await call(admin, 'GET', `/api/organisations/${orgB.id}/services`)).json().services).toEqual([]);
    });

    it('lets a member describe their own services but not change the organisation itself', async () => {
      expect((await call(memberA, 'PATCH', `/api/organisations/${orgA.id}`, { name: 'Mine now' })).statusCode).toBe(
        403,
      );
      expect(
        (await call(memberA, 'POST', '/api/organisations', { code: 'M1', name: 'M', type: 'police' })).statusCode,
      ).toBe(403);
    });

    it('lets an inspector see every organisation but change none', async () => {
      const list = (await call(inspector, 'GET', '/api/organisations?q=Test&limit=200')).json();
      const ids = list.organisations.map((o: { id: string }) => o.id);
      expect(ids).toEqual(expect.arrayContaining([orgA.id, orgB.id]));
      expect((await call(inspector, 'GET', `/api/organisations/${orgB.id}`)).statusCode).toBe(200);
      expect((await call(inspector, 'GET', `/api/organisations/${orgB.id}/services`)).statusCode).toBe(200);
      expect((await call(inspector, 'PATCH', `/api/organisations/${orgB.id}`, { name: 'X' })).statusCode).toBe(403);
      expect((await call(inspector, 'POST', `/api/organisations/${orgB.id}/services`, { name: 'X' })).statusCode).toBe(
        403,
      );
    });

    it('lets a viewer read their own organisation and nothing more', async () => {
      expect((await call(viewerA, 'GET', `/api/organisations/${orgA.id}`)).statusCode).toBe(200);
      expect((await call(viewerA, 'GET', `/api/organisations/${orgB.id}`)).statusCode).toBe(404);
      const create = await call(viewerA, 'POST', '/api/organisations', { code: 'V1', name: 'V', type: 'council' });
      expect(create.statusCode).toBe(403);
      expect(create.json().code).toBe('forbidden');
      expect((await call(viewerA, 'POST', `/api/organisations/${orgA.id}/services`, { name: 'X' })).statusCode).toBe(
        403,
      );
    });

    it('asks anonymous callers to sign in', async () => {
      const res = await call(undefined, 'GET', '/api/organisations');
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('services', () => {
    it('are added and changed by a member of the organisation, audited, and unique by name within it', async () => {
      const added = await call(memberA, 'POST', `/api/organisations/${orgA.id}/services`, {
        name: 'Housing repairs',
        description: 'Responsive repairs',
      });
      expect(added.statusCode).toBe(201);
      const service = added.json();
      expect(service).toMatchObject({ organisationId: orgA.id, name: 'Housing repairs' });

      const duplicate = await call(admin, 'POST', `/api/organisations/${orgA.id}/services`, {
        name: 'Housing repairs',
      });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().errors).toEqual([
        { field: 'name', message: 'This organisation already has a service called Housing repairs' },
      ]);
      // The same name in another organisation is a different service.
      expect(
        (await call(admin, 'POST', `/api/organisations/${orgB.id}/services`, { name: 'Housing repairs' })).statusCode,
      ).toBe(201);

      const changed = await call(memberA, 'PATCH', `/api/organisations/${orgA.id}/services/${service.id}`, {
        description: null,
      });
      expect(changed.json()).toMatchObject({ name: 'Housing repairs', description: null });

      const listed = (await call(viewerA, 'GET', `/api/organisations/${orgA.id}/services`)).json().services;
      expect(listed.map((s: { name: string }) => s.name)).toEqual(['Housing repairs']);

      const entries = await auditOf('service', service.id);
      expect(entries.map((e) => [e.action, e.actorId])).toEqual([
        ['service.created', memberA.actor.userId],
        ['service.updated', memberA.actor.userId],
      ]);
      expect(entries[1]!.before).toMatchObject({ description: 'Responsive repairs' });
      expect(entries[1]!.after).toMatchObject({ description: null });
    });

    it('answers 409 when a rename takes a name in use, and 404 for a service of another organisation', async () => {
      const post = (name: string) => call(admin, 'POST', `/api/organisations/${orgA.id}/services`, { name });
      const first = (await post('Waste collection')).json();
      const second = (await post('Street cleaning')).json();
      const rename = await call(admin, 'PATCH', `/api/organisations/${orgA.id}/services/${second.id}`, {
        name: 'Waste collection',
      });
      expect(rename.statusCode).toBe(409);
      expect(rename.json().errors[0].field).toBe('name');

      const wrongParent = await call(admin, 'PATCH', `/api/organisations/${orgB.id}/services/${first.id}`, {
        name: 'Moved',
      });
      expect(wrongParent.statusCode).toBe(404);
      expect(wrongParent.json().code).toBe('service_not_found');
      expect(
        (await call(admin, 'POST', `/api/organisations/${orgA.id}/services`, { name: ' ' })).json().errors,
      ).toEqual([{ field: 'body.name', message: 'Enter the service’s name' }]);
    });
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/organisations',
        '/api/organisations/{id}',
        '/api/organisations/{id}/services',
        '/api/organisations/{id}/services/{serviceId}',
      ]),
    );
    expect(doc.paths['/api/organisations'].post.tags).toEqual(['organisations']);
  });
});
