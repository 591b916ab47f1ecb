import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';

describeEachDatabase('people and tokens API', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let inspector: TestUser;

  beforeAll(async () => {
    admin = await createTestUser(t.database.db, 'administrator');
    inspector = await createTestUser(t.database.db, 'inspector');
  });

  it('creates a token shown once, lets it act as its owner, records its use, and revokes it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: inspector.headers,
      payload: { name: 'dashboard' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token).toMatch(/^kloe_/);
    expect(token.startsWith(prefix)).toBe(true);

    const me = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ email: inspector.actor.email, role: 'inspector' });

    const list = (await t.app.inject({ url: '/api/me/tokens', headers: inspector.headers })).json().tokens;
    const listed = list.find((x: { id: string }) => x.id === id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(token); // never shown again

    const { rows } = (await t.database.db.execute(
      sql`select token_hash from api_tokens where id = ${id}`,
    )) as unknown as {
      rows: { token_hash: string }[];
    };
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(token);

    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${id}`, headers: inspector.headers })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      401,
    );
    // Someone else's token id is not found, not forbidden.
    const other = await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${id}`, headers: admin.headers });
    expect(other.statusCode).toBe(404);
  });

  const makeToken = async (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/me/tokens', headers, payload });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('makes a token read only unless asked for read and write; a read-only token changes nothing', async () => {
    const created = await makeToken(inspector.headers, { name: 'dashboard reader' });
    expect(created.json()).toMatchObject({ scope: 'read' });
    const reader = bearer(created.json().token);
    expect((await t.app.inject({ url: '/api/me', headers: reader })).statusCode).toBe(200);
    for (const [method, url] of [
      ['POST', '/api/me/tokens'],
      ['DELETE', `/api/me/tokens/${created.json().id}`],
      ['PATCH', `/api/users/${inspector.actor.userId}`],
    ] as const) {
      const refused = await t.app.inject({ method, url, headers: reader, payload: { name: 'x' } });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json().code).toBe('token_read_only');
    }
    const writer = await makeToken(inspector.headers, { name: 'importer', scope: 'write' });
    expect(writer.json().scope).toBe('write');
    expect((await makeToken(bearer(writer.json().token), { name: 'from the importer' })).statusCode).toBe(201);
  });

  it('gives a token an expiry: 90 days unless chosen, at most a year, and refuses it once past', async () => {
    const days = (body: { createdAt: string; expiresAt: string }) =>
      Math.round((Date.parse(body.expiresAt) - Date.parse(body.createdAt)) / 86_400_000);
    expect(days((await makeToken(inspector.headers, { name: 'default' })).json())).toBe(90);
    const weekly = await makeToken(inspector.headers, { name: 'weekly', scope: 'write', expiresInDays: 7 });
    expect(days(weekly.json())).toBe(7);
    const tooLong = await makeToken(inspector.headers, { name: 'forever', expiresInDays: 366 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0]).toEqual({
      field: 'body.expiresInDays',
      message: 'A token can last at most 365 days',
    });

    // One made with a token expires no later than that token, which could otherwise renew itself for ever.
    const longer = await makeToken(bearer(weekly.json().token), { name: 'longer', expiresInDays: 30 });
    expect(longer.statusCode).toBe(201);
    expect(longer.json().expiresAt).toBe(weekly.json().expiresAt);

    const token = (await makeToken(inspector.headers, { name: 'short', expiresInDays: 1 })).json();
    expect((await t.app.inject({ url: '/api/me', headers: bearer(token.token) })).statusCode).toBe(200);
    await t.database.db.execute(
      sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${token.id}`,
    );
    expect((await t.app.inject({ url: '/api/me', headers: bearer(token.token) })).statusCode).toBe(401);
  });

  it('revokes every token of a person whose password an administrator resets', async () => {
    const target = await createTestUser(t.database.db, 'inspector');
    const own = (await makeToken(target.headers, { name: 'script', scope: 'write' })).json();
    const reset = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${target.actor.userId}/password`,
      headers: admin.headers,
      payload: { password: 'a brand new passphrase here' },
    });
    expect(reset.statusCode).toBe(204);
    for (const headers of [target.headers, bearer(own.token)])
      expect((await t.app.inject({ url: '/api/me', headers })).statusCode).toBe(401);
  });

  it('lets administrators, and only them, manage people', async () => {
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: newPersonWith({ name: 'Grace Hopper', email: 'grace@example.test' }),
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const notAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: inspector.headers,
      payload: newPersonWith({ name: 'Grace Hopper', email: 'grace@example.test' }),
    });
    expect(notAdmin.statusCode).toBe(403);

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: newPersonWith({ name: 'Grace Hopper', email: 'grace@example.test' }),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'grace@example.test', role: 'inspector', disabled: false });
    expect(created.body).not.toContain('password');

    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${created.json().id}`,
      headers: admin.headers,
      payload: { role: 'viewer', reason: 'moved to the review board' },
    });
    expect(changed.json().role).toBe('viewer');
    const { rows } = (await t.database.db.execute(
      sql`select before, after, reason, actor_id from audit_log where action = 'user.role_changed' and entity_id = ${created.json().id}`,
    )) as unknown as {
      rows: { before: { role: string }; after: { role: string }; reason: string; actor_id: string }[];
    };
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      before: { role: 'inspector' },
      after: { role: 'viewer' },
      reason: 'moved to the review board',
      actor_id: admin.actor.userId,
    });
  });

  it.each([
    [
      'a weak password',
      newPersonWith({ email: 'w@example.test', password: 'password1234' }),
      400,
      'password',
      /too common/,
    ],
    [
      'a short password',
      newPersonWith({ email: 's@example.test', password: 'short' }),
      400,
      'password',
      /12 characters/,
    ],
    ['a malformed email', newPersonWith({ email: 'not-an-email' }), 400, 'body.email', /correct format/],
    [
      'a member without an organisation',
      newPersonWith({ email: 'm@example.test', role: 'organisation_member' }),
      400,
      'organisationId',
      /organisation/,
    ],
    ['an unknown role', newPersonWith({ email: 'r@example.test', role: 'king' }), 400, 'body.role', /role/i],
  ])('refuses %s naming the field', async (_name, payload, status, field, message) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload });
    expect(res.statusCode).toBe(status);
    const error = res.json().errors.find((e: { field: string }) => e.field === field);
    expect(error?.message).toMatch(message);
  });

  it('refuses an organisation that does not exist with 400 naming the field, on creating and on changing a role', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: newPersonWith({ email: 'nowhere@example.test', role: 'organisation_member', organisationId: missing }),
    });
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${inspector.actor.userId}`,
      headers: admin.headers,
      payload: { role: 'organisation_member', organisationId: missing },
    });
    for (const res of [created, changed]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { field: 'organisationId', message: 'Choose an organisation that exists in kloe' },
      ]);
    }
    const people = (await t.app.inject({ url: '/api/users', headers: admin.headers })).json();
    expect(JSON.stringify(people)).not.toContain('nowhere@example.test');
  });

  it('refuses a duplicate email with 409, whatever its case', async () => {
    const payload = newPersonWith({ email: 'dup@example.test' });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload })).statusCode,
    ).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { ...payload, email: 'DUP@example.test' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toEqual({
      field: 'email',
      message: 'Someone already has the email address dup@example.test',
    });
  });

  it('ends sessions and revokes tokens of a disabled person, for good: enabling them again brings none back', async () => {
    const target = await createTestUser(t.database.db, 'inspector');
    expect((await t.app.inject({ url: '/api/me', headers: target.headers })).statusCode).toBe(200);
    for (const disabled of [true, false]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${target.actor.userId}`,
        headers: admin.headers,
        payload: { disabled },
      });
      expect(res.statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/me', headers: target.headers })).statusCode).toBe(401);
    }
  });
});

function newPersonWith(overrides: Record<string, unknown>) {
  return {
    name: 'Someone',
    email: 'someone@example.test',
    role: 'inspector',
    password: 'compilers are friends',
    ...overrides,
  };
}

describeEachDatabase('the last administrator', (driver) => {
  const t = useTestApp(driver);

  it('cannot be demoted or disabled, so someone can always manage people', async () => {
    const admin = await createTestUser(t.database.db, 'administrator');
    const others = (await t.app.inject({ url: '/api/users', headers: admin.headers }))
      .json()
      .users.filter((u: { id: string; role: string }) => u.role === 'administrator' && u.id !== admin.actor.userId);
    expect(others.length).toBeGreaterThan(0); // the demo administrator
    for (const other of others) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${other.id}`,
        headers: admin.headers,
        payload: { disabled: true },
      });
      expect(res.statusCode).toBe(200);
    }
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.actor.userId}`,
      headers: admin.headers,
      payload: { role: 'inspector' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('last_administrator');
  });
});
