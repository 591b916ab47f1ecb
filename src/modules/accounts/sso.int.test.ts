import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { startFakeOidcProvider, type FakeOidcUser } from '../../testing/fake-oidc-provider.js';
import { cookiesFrom, submitForm } from '../../testing/forms.js';
import { useTestApp, type TestApp } from '../../testing/test-app.js';
import { testConfig } from '../../testing/test-config.js';
import * as repo from './accounts.repository.js';
import { createAccountsService } from './accounts.service.js';
import { accounts, sessions } from './accounts.tables.js';
import { SSO_CALLBACK_PATH } from './sso.provider.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const NAME = 'Example ID';

// One provider for the file, running before any app is built: kloe reads its discovery document as it starts.
const provider = await startFakeOidcProvider({ redirectUri: `${testConfig().baseUrl}${SSO_CALLBACK_PATH}` });
afterAll(() => provider.close());

const oidc = { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, name: NAME };

/** The whole round trip as a browser makes it: kloe through app.inject, the provider over real HTTP. */
async function signInWithSso(t: TestApp, user: FakeOidcUser, next = '/account') {
  provider.signInAs(user);
  const start = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: { next } });
  expect(start.statusCode).toBe(303);
  const authorize = await fetch(String(start.headers.location), { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const back = new URL(authorize.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(`${testConfig().baseUrl}${SSO_CALLBACK_PATH}`);
  const browserCookies = cookiesFrom(start.headers['set-cookie']); // the state cookie among them
  const callback = await t.app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: browserCookies } });
  return { start, back, browserCookies, callback, cookie: cookiesFrom(callback.headers['set-cookie']) };
}

const me = (t: TestApp, cookie: string) => t.app.inject({ url: '/api/me', headers: { cookie } });

describeEachDatabase('single sign-on through OpenID Connect', (driver) => {
  const t = useTestApp(driver, { oidc });
  let people: ReturnType<typeof createAccountsService>;

  beforeAll(async () => {
    people = createAccountsService({ db: t.database.db });
    for (const email of ['sso@example.test', 'unverified@example.test', 'gone@example.test', 'locked@example.test']) {
      await people.create(
        { name: 'Added by an administrator', email, role: 'inspector', organisationId: null, password: null },
        SYSTEM,
      );
    }
  });

  it('offers a single sign-on button above the password form', async () => {
    const page = await t.app.inject({ url: '/sign-in?next=/frameworks' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Sign in with ${NAME}`);
    const ssoForm = page.body.indexOf('action="/sign-in/sso"');
    expect(ssoForm).toBeGreaterThan(0);
    expect(page.body.indexOf('action="/sign-in"')).toBeGreaterThan(ssoForm);
    expect(page.body).toContain('name="next" value="/frameworks"');
  });

  it('signs in someone an administrator added, matched by the address the provider verified', async () => {
    const { start, callback, cookie } = await signInWithSso(t, {
      sub: 'subject-ada',
      email: 'SSO@example.test',
      email_verified: true,
      name: 'Name At The Provider',
    });
    const authorization = provider.authorizationRequests.at(-1)!;
    expect(String(start.headers.location).startsWith(`${provider.issuer}/authorize?`)).toBe(true);
    expect(authorization.get('code_challenge_method')).toBe('S256');
    expect(authorization.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
    expect(authorization.get('nonce')).toBeTruthy();

    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/account');
    expect([callback.headers['set-cookie']].flat().join('\n')).toMatch(/kloe\.session_token=[^;]+;.*HttpOnly/i);
    const res = await me(t, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: 'sso@example.test', name: 'Added by an administrator' });

    const user = await repo.findUserByEmail(t.database.db, 'sso@example.test');
    const linked = await t.database.db
      .select()
      .from(accounts)
      .where(and(eq(accounts.userId, user!.id), eq(accounts.providerId, 'oidc')));
    expect(linked.map((a) => a.accountId)).toEqual(['subject-ada']);
  });

  it('knows a linked person by the provider’s subject afterwards, even with a new address', async () => {
    const { callback, cookie } = await signInWithSso(t, {
      sub: 'subject-ada',
      email: 'ada.renamed@example.test',
      email_verified: true,
    });
    expect(callback.statusCode).toBe(303);
    expect((await me(t, cookie)).json()).toMatchObject({ email: 'sso@example.test' });
  });

  it('refuses someone no administrator added, names their address, and makes no account', async () => {
    const { callback, cookie } = await signInWithSso(t, {
      sub: 'subject-stranger',
      email: 'stranger@example.test',
      email_verified: true,
    });
    expect(callback.statusCode).toBe(403);
    expect(callback.headers['content-type']).toContain('text/html');
    expect(callback.body).toContain('govuk-error-summary');
    expect(callback.body).toContain(
      'Your organisation account is not set up in kloe: ask an administrator to add stranger@example.test',
    );
    expect(cookie).not.toContain('session_token');
    expect(await repo.findUserByEmail(t.database.db, 'stranger@example.test')).toBeUndefined();
  });

  it('does not match an address the provider does not vouch for', async () => {
    const { callback, cookie } = await signInWithSso(t, {
      sub: 'subject-unverified',
      email: 'unverified@example.test',
      email_verified: false,
    });
    expect(callback.statusCode).toBe(403);
    expect(callback.body).toContain('Your organisation did not confirm that unverified@example.test is yours');
    expect(cookie).not.toContain('session_token');
    const linked = await t.database.db.select().from(accounts).where(eq(accounts.accountId, 'subject-unverified'));
    expect(linked).toEqual([]);
  });

  it('refuses a disabled person, says so, and leaves no session', async () => {
    const before = await signInWithSso(t, { sub: 'subject-gone', email: 'gone@example.test', email_verified: true });
    expect((await me(t, before.cookie)).statusCode).toBe(200);
    const gone = await people.findByEmail('gone@example.test');
    await people.setDisabled(gone!.id, true, SYSTEM, 'left');

    const { callback, cookie } = await signInWithSso(t, { sub: 'subject-gone', email: 'gone@example.test' });
    expect(callback.statusCode).toBe(403);
    expect(callback.body).toContain('Your kloe account has been disabled');
    expect(cookie).not.toContain('session_token');
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, gone!.id))).toEqual([]);
    expect((await me(t, before.cookie)).statusCode).toBe(401);
  });

  it('refuses a locked person as the password path does', async () => {
    const locked = await people.findByEmail('locked@example.test');
    await repo.updateUser(t.database.db, locked!.id, { lockedUntil: new Date(Date.now() + 10 * 60_000) });
    const { callback, cookie } = await signInWithSso(t, {
      sub: 'subject-locked',
      email: 'locked@example.test',
      email_verified: true,
    });
    expect(callback.statusCode).toBe(423);
    expect(callback.body).toContain('This account is locked after too many failed sign-in attempts');
    expect(cookie).not.toContain('session_token');
  });

  it('says so when the person says no at the provider', async () => {
    provider.refuseNext('access_denied');
    const { callback, cookie } = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test' });
    expect(callback.statusCode).toBe(401);
    expect(callback.body).toContain(`Signing in with ${NAME} was cancelled, or your organisation did not allow it`);
    expect(cookie).not.toContain('session_token');
  });

  it.each(['signature', 'nonce', 'audience', 'issuer'] as const)(
    'refuses an ID token with a bad %s, and makes no session',
    async (flaw) => {
      provider.tamperNextIdToken(flaw);
      const { callback, cookie } = await signInWithSso(t, {
        sub: 'subject-ada',
        email: 'sso@example.test',
        email_verified: true,
      });
      expect(callback.statusCode).toBe(502);
      expect(callback.headers['content-type']).toContain('text/html');
      expect(callback.body).toContain(`Signing in with ${NAME} did not work`);
      expect(cookie).not.toContain('session_token');
    },
  );

  it('refuses a callback from another browser (no state cookie) and a replayed one', async () => {
    provider.signInAs({ sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    const start = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: {} });
    const back = new URL(
      (await fetch(String(start.headers.location), { redirect: 'manual' })).headers.get('location')!,
    );
    const elsewhere = await t.app.inject({ url: `${back.pathname}${back.search}` });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).toContain('started in another browser');
    expect(cookiesFrom(elsewhere.headers['set-cookie'])).not.toContain('session_token');

    const first = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    expect(first.callback.statusCode).toBe(303);
    const replay = await t.app.inject({
      url: `${first.back.pathname}${first.back.search}`,
      headers: { cookie: first.browserCookies },
    });
    expect(replay.statusCode).toBe(400);
    expect(cookiesFrom(replay.headers['set-cookie'])).not.toContain('session_token');
  });

  it('starts only from a form post carrying its CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/sign-in/sso',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'next=%2Faccount',
    });
    expect(res.statusCode).toBe(403);
  });

  it('sends only to a path on this site afterwards', async () => {
    const { callback } = await signInWithSso(
      t,
      { sub: 'subject-ada', email: 'sso@example.test', email_verified: true },
      '//evil.example/steal',
    );
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/');
  });
});

describe('single sign-on when it is not configured, or its provider is down', () => {
  describe('not configured', () => {
    const t = useTestApp('pglite');

    it('shows no button and has no single sign-on routes', async () => {
      const page = await t.app.inject({ url: '/sign-in' });
      expect(page.body).not.toContain('/sign-in/sso');
      expect(t.app.routeAccess.some((route) => route.url === '/sign-in/sso' || route.url === SSO_CALLBACK_PATH)).toBe(
        false,
      );
      expect((await t.app.inject({ url: SSO_CALLBACK_PATH })).statusCode).toBe(404);
    });
  });

  describe('provider unreachable', () => {
    // A port nothing listens on: discovery fails at start and again when the button is used.
    const t = useTestApp('pglite', { oidc: { ...oidc, issuer: 'http://127.0.0.1:9' } });

    it('says single sign-on is unavailable rather than failing', async () => {
      const res = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: { next: '/' } });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain(`${NAME} is not available at the moment`);
      expect(res.body).toContain('action="/sign-in"');
    });
  });
});
