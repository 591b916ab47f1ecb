import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/testing/test-database.js';
import { createAccountsService } from '../modules/accounts/accounts.service.js';
import { multipartBody } from '../files/multipart-body.js';
import { cookiesFrom, mergeCookies, submitForm } from '../testing/forms.js';
import { createNestedRecords } from '../testing/nested-records.js';
import { useTestApp } from '../testing/test-app.js';
import { createTestUser } from '../testing/test-users.js';

const PASSWORD = 'a long and unusual passphrase';
const SYSTEM = { kind: 'system', label: 'test' } as const;
const newAdmin = (email: string) => ({ name: 'Mallory', email, role: 'administrator', password: PASSWORD });

describeEachDatabase('CSRF tokens on API calls made with the session cookie', (driver) => {
  const t = useTestApp(driver);
  const accounts = () => createAccountsService({ db: t.database.db });
  let session = '';

  beforeAll(async () => {
    await accounts().create(
      { name: 'Ada', email: 'ada@example.test', role: 'administrator', organisationId: null, password: PASSWORD },
      SYSTEM,
    );
    const signedIn = await submitForm(t.app, {
      page: '/sign-in',
      fields: { email: 'ada@example.test', password: PASSWORD, next: '/' },
    });
    session = cookiesFrom(signedIn.headers['set-cookie']);
  });

  /** A page's CSRF token (its meta tag) and the cookie holding the CSRF secret, as a browser with `cookie` gets them. */
  async function csrfFrom(cookie?: string) {
    const page = await t.app.inject({ url: '/frameworks', headers: cookie ? { cookie } : {} });
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1];
    if (!token) throw new Error('no csrf-token meta tag');
    return { token, cookie: cookiesFrom(page.headers['set-cookie']) };
  }

  it.each([
    ['urlencoded', 'application/x-www-form-urlencoded', new URLSearchParams(newAdmin('m1@example.test')).toString()],
    ['text/plain', 'text/plain', JSON.stringify(newAdmin('m2@example.test'))],
    ['JSON', 'application/json', JSON.stringify(newAdmin('m3@example.test'))],
  ])('refuses a %s body sent with the session cookie and no token', async (_what, contentType, payload) => {
    const csrf = await csrfFrom(session);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: mergeCookies(session, csrf.cookie), 'content-type': contentType },
      payload,
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'invalid_csrf_token',
      errors: [{ field: 'headers.x-csrf-token', message: 'is missing or was not issued for this session' }],
    });
    expect((await accounts().list()).map((u) => u.name)).not.toContain('Mallory');
  });

  it('accepts the call with the session’s token in the X-CSRF-Token header', async () => {
    const csrf = await csrfFrom(session);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: mergeCookies(session, csrf.cookie), 'x-csrf-token': csrf.token },
      payload: { ...newAdmin('ok@example.test'), name: 'Grace' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a token pair fetched without a session, planted beside a victim’s session', async () => {
    const anonymous = await csrfFrom(); // what an attacker gets by loading any page
    const cookie = mergeCookies(session, anonymous.cookie);
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie, 'x-csrf-token': anonymous.token },
      payload: newAdmin('m4@example.test'),
    });
    expect(api.statusCode).toBe(403);
    const form = await t.app.inject({
      method: 'POST',
      url: '/account/tokens',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'planted', _csrf: anonymous.token }).toString(),
    });
    expect(form.statusCode).toBe(403);
    expect(form.body).toContain('This form has expired or did not come from kloe');
    expect((await accounts().list()).map((u) => u.name)).not.toContain('Mallory');
  });

  it('refuses a multipart upload sent with the session cookie and no token, and takes it with the token', async () => {
    const inspector = await accounts().create(
      { name: 'Ines', email: 'ines@example.test', role: 'inspector', organisationId: null, password: PASSWORD },
      SYSTEM,
    );
    const signedIn = await submitForm(t.app, {
      page: '/sign-in',
      fields: { email: 'ines@example.test', password: PASSWORD, next: '/' },
    });
    const cookie = cookiesFrom(signedIn.headers['set-cookie']);
    const { assessmentId } = await createNestedRecords(t.database.db, {
      leadUserId: inspector.id,
      status: 'fieldwork',
    });
    const csrf = await csrfFrom(cookie);
    const upload = (headers: Record<string, string>) => {
      const file = { name: 'forged.txt', bytes: Buffer.from('Forged evidence'), type: 'text/plain' };
      const body = multipartBody({ title: 'Forged', kind: 'document' }, [file]);
      return t.app.inject({
        method: 'POST',
        url: `/api/assessments/${assessmentId}/evidence`,
        headers: { cookie: mergeCookies(cookie, csrf.cookie), ...body.headers, ...headers },
        payload: body.payload,
      });
    };
    const forged = await upload({});
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('invalid_csrf_token');
    const list = await t.app.inject({ url: `/api/assessments/${assessmentId}/evidence`, headers: { cookie } });
    expect(list.json().items.map((i: { title: string }) => i.title)).not.toContain('Forged');
    expect((await upload({ 'x-csrf-token': csrf.token })).statusCode).toBe(201);
  });

  it('needs no CSRF token with an API token', async () => {
    const admin = await createTestUser(t.database.db, 'administrator');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { ...newAdmin('bearer@example.test'), name: 'Hopper' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('describes the header in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.components.securitySchemes.csrfToken).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-CSRF-Token',
    });
    expect(doc.security).toContainEqual({ sessionCookie: [], csrfToken: [] });
  });
});
