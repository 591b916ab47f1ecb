import { and, eq } from 'drizzle-orm';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcConfig } from '../../config.js';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { startFakeOidcProvider, type FakeOidcUser } from '../../testing/fake-oidc-provider.js';
import { cookiesFrom, submitForm } from '../../testing/forms.js';
import { collectLogLines } from '../../testing/log-lines.js';
import { useTestApp, type TestApp } from '../../testing/test-app.js';
import { testConfig } from '../../testing/test-config.js';
import { createTestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import * as repo from './accounts.repository.js';
import { createAccountsService } from './accounts.service.js';
import { accounts, sessions } from './accounts.tables.js';
import { SSO_CALLBACK_PATH } from './sso.provider.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const NAME = 'Example ID';

// One provider for the file, running before any app is built: kloe reads its discovery document as it starts.
const provider = await startFakeOidcProvider({ redirectUri: `${testConfig().baseUrl}${SSO_CALLBACK_PATH}` });
afterAll(() => provider.close());

const oidc: OidcConfig = {
  issuer: provider.issuer,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  name: NAME,
  timeoutSeconds: 2,
  tokenAuth: 'client_secret_basic',
  prompt: undefined,
  domainHint: undefined,
  acrValues: [],
  requiredAmr: [],
  provisioning: undefined,
  roleMapping: undefined,
};

/** A TCP server that accepts connections and never answers, as a provider that hangs. */
async function startHungServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const linksOf = (t: TestApp, accountId: string) =>
  t.database.db.select().from(accounts).where(eq(accounts.accountId, accountId));

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
  const log = collectLogLines();
  const t = useTestApp(driver, { oidc }, { logger: log.logger });
  let people: ReturnType<typeof createAccountsService>;

  beforeAll(async () => {
    people = createAccountsService({ db: t.database.db });
    for (const email of [
      'sso@example.test',
      'unverified@example.test',
      'gone@example.test',
      'locked@example.test',
      'noclaim@example.test',
      'entra@example.test',
    ]) {
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
    const audited = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.sso_linked'));
    expect(audited.map((entry) => [entry.entityId, entry.after])).toEqual([
      [user!.id, { issuer: provider.issuer, subject: 'subject-ada' }],
    ]);
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

  it('knows an Entra ID person by tenant and object id when the application is registered anew', async () => {
    const entra = { tid: 'tenant-1', oid: 'object-1', email: 'entra@example.test', email_verified: true };
    const first = await signInWithSso(t, { sub: 'sub-in-old-registration', ...entra });
    expect(first.callback.statusCode).toBe(303);
    // The new registration gives a new sub; without the email claim only tid/oid can say who this is.
    const again = await signInWithSso(t, { sub: 'sub-in-new-registration', tid: 'tenant-1', oid: 'object-1' });
    expect(again.callback.statusCode).toBe(303);
    expect((await me(t, again.cookie)).json()).toMatchObject({ email: 'entra@example.test' });
    const person = await repo.findUserByEmail(t.database.db, 'entra@example.test');
    const links = await t.database.db.select().from(accounts).where(eq(accounts.userId, person!.id));
    expect(links.map((link) => [link.providerId, link.accountId]).sort()).toEqual([
      ['oidc', 'sub-in-new-registration'],
      ['oidc', 'sub-in-old-registration'],
      ['oidc-entra-object', 'tenant-1/object-1'],
    ]);
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
    expect(await linksOf(t, 'subject-unverified')).toEqual([]);
  });

  it('tells someone unknown and unverified both things they need an administrator for', async () => {
    const { callback } = await signInWithSso(t, {
      sub: 'subject-nobody',
      email: 'nobody@example.test',
      email_verified: false,
    });
    expect(callback.statusCode).toBe(403);
    expect(callback.body).toContain(
      'Your organisation account is not set up in kloe, and your organisation did not confirm that nobody@example.test is yours',
    );
    expect(callback.body).toContain('the email_verified claim');
  });

  it('says which claim is missing, and what the administrator must set up, when there is no email', async () => {
    const { callback, cookie } = await signInWithSso(t, { sub: 'subject-no-email', name: 'No Email' });
    expect(callback.statusCode).toBe(403);
    expect(callback.body).toContain(`${NAME} did not send your email address (the email claim)`);
    expect(callback.body).toContain('in Microsoft Entra ID: add the optional email claim to the ID token');
    expect(cookie).not.toContain('session_token');
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
    // Refused, so not linked: an administrator's view of who can sign in how stays true.
    expect(await linksOf(t, 'subject-locked')).toEqual([]);
  });

  it('links a disabled person’s identity never, and a refused one only once they are let in', async () => {
    const gone = await people.findByEmail('noclaim@example.test');
    await people.setDisabled(gone!.id, true, SYSTEM, 'on leave');
    const refused = await signInWithSso(t, {
      sub: 'subject-away',
      email: 'noclaim@example.test',
      email_verified: true,
    });
    expect(refused.callback.statusCode).toBe(403);
    expect(await linksOf(t, 'subject-away')).toEqual([]);
    await people.setDisabled(gone!.id, false, SYSTEM, 'back');
    const back = await signInWithSso(t, { sub: 'subject-away', email: 'noclaim@example.test', email_verified: true });
    expect(back.callback.statusCode).toBe(303);
    expect((await linksOf(t, 'subject-away')).map((link) => link.userId)).toEqual([gone!.id]);
  });

  it('says so when the person says no at the provider', async () => {
    provider.refuseNext('access_denied');
    const { callback, cookie } = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test' });
    expect(callback.statusCode).toBe(401);
    expect(callback.body).toContain(`Signing in with ${NAME} was cancelled, or your organisation did not allow it`);
    expect(cookie).not.toContain('session_token');
  });

  it.each(['signature', 'nonce', 'audience', 'issuer', 'expired', 'none', 'missing'] as const)(
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
      const refusal = log.lines.findLast((line) => line.msg === 'single sign-on refused');
      expect(refusal?.sso).toMatchObject({ reason: 'failed', problem: 'untrusted' });
    },
  );

  it('gives up on a token endpoint that does not answer, says so, and logs the timeout', async () => {
    provider.hangTokenRequests(true);
    try {
      const { callback, cookie } = await signInWithSso(t, {
        sub: 'subject-ada',
        email: 'sso@example.test',
        email_verified: true,
      });
      expect(callback.statusCode).toBe(503);
      expect(callback.body).toContain(`${NAME} did not answer. Try again later`);
      expect(cookie).not.toContain('session_token');
      const refusal = log.lines.findLast((line) => line.msg === 'single sign-on refused');
      expect(refusal?.sso).toEqual({ ok: false, reason: 'unavailable', problem: 'timeout' });
    } finally {
      provider.hangTokenRequests(false);
    }
  });

  it('logs what the provider said when it refuses the code, and never a token or the secret', async () => {
    const { back, browserCookies } = await signInWithSso(t, {
      sub: 'subject-ada',
      email: 'sso@example.test',
      email_verified: true,
    });
    // The same code again, with a fresh sign-in's state: the provider refuses it (codes are single use).
    const again = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: {} });
    const state = new URL(String(again.headers.location)).searchParams.get('state')!;
    const reused = new URLSearchParams(back.search);
    reused.set('state', state);
    const callback = await t.app.inject({
      url: `${back.pathname}?${reused}`,
      headers: { cookie: cookiesFrom(again.headers['set-cookie']) },
    });
    expect(browserCookies).toBeTruthy();
    expect(callback.statusCode).toBe(502);
    const refusal = log.lines.findLast((line) => line.msg === 'single sign-on refused');
    expect(refusal?.sso).toMatchObject({ reason: 'failed', problem: 'refused', error: 'invalid_grant', status: 400 });
    const everything = JSON.stringify(log.lines);
    expect(everything).not.toContain(provider.clientSecret);
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT
    expect(everything).not.toContain(back.searchParams.get('code')!);
  });

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

  it('signs out at the provider too, with the ID token as a hint and a way back to kloe', async () => {
    const { cookie } = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    const out = await submitForm(t.app, { page: '/account', action: '/sign-out', headers: { cookie }, fields: {} });
    expect(out.statusCode).toBe(303);
    const logout = new URL(String(out.headers.location));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${provider.issuer}/logout`);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${testConfig().baseUrl}/sign-in?signedOut=1`);
    expect(logout.searchParams.get('client_id')).toBe(provider.clientId);
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect((await me(t, cookie)).statusCode).toBe(401);
  });

  it('ends kloe’s sessions when the provider’s back-channel logout names them', async () => {
    const first = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    const second = await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    const logout = (token: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/backchannel-logout/oidc',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ logout_token: token }).toString(),
      });

    for (const bad of [
      await provider.logoutToken({ sub: 'subject-ada' }, { forged: true }),
      await provider.logoutToken({ sub: 'subject-ada', nonce: 'n' }),
      await provider.logoutToken({}),
    ]) {
      const refused = await logout(bad);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'invalid_logout_token' });
      expect(refused.json().errors[0].field).toBe('logout_token');
    }
    expect((await me(t, first.cookie)).statusCode).toBe(200);

    const ended = await logout(await provider.logoutToken({ sub: 'subject-ada' }));
    expect(ended.statusCode).toBe(200);
    expect(ended.headers['cache-control']).toBe('no-store');
    expect((await me(t, first.cookie)).statusCode).toBe(401);
    expect((await me(t, second.cookie)).statusCode).toBe(401);
  });

  it('shows an administrator a person’s linked identities, and unlinks one with an audit entry', async () => {
    const admin = await createTestUser(t.database.db, 'administrator');
    const viewer = await createTestUser(t.database.db, 'viewer');
    await signInWithSso(t, { sub: 'subject-ada', email: 'sso@example.test', email_verified: true });
    const ada = await repo.findUserByEmail(t.database.db, 'sso@example.test');
    const page = await t.app.inject({ url: `/admin/users/${ada!.id}`, headers: admin.headers });
    expect(page.body).toContain('<code>subject-ada</code>');
    const [link] = await linksOf(t, 'subject-ada');
    const action = `/admin/users/${ada!.id}/sso-links/${link!.id}/unlink`;

    const forbidden = await t.app.inject({ method: 'POST', url: action, headers: viewer.headers });
    expect(forbidden.statusCode).toBe(403);
    expect(await linksOf(t, 'subject-ada')).toHaveLength(1);

    const res = await submitForm(t.app, {
      page: `/admin/users/${ada!.id}`,
      action,
      headers: admin.headers,
      fields: {},
    });
    expect(res.statusCode).toBe(303);
    expect(await linksOf(t, 'subject-ada')).toEqual([]);
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.sso_unlinked'));
    expect(entry).toMatchObject({ entityId: ada!.id, actorId: admin.actor.userId, before: { subject: 'subject-ada' } });
  });

  it('passes the address typed on the sign-in page to the provider as login_hint', async () => {
    const failed = await submitForm(t.app, {
      page: '/sign-in',
      fields: { email: 'sso@example.test', password: 'not the password' },
    });
    expect(failed.body).toContain('name="login_hint" value="sso@example.test"');
    const hintOf = async (loginHint: string) => {
      const start = await submitForm(t.app, {
        page: '/sign-in',
        action: '/sign-in/sso',
        fields: { login_hint: loginHint },
      });
      return new URL(String(start.headers.location)).searchParams.get('login_hint');
    };
    expect(await hintOf('sso@example.test')).toBe('sso@example.test');
    expect(await hintOf('not an address')).toBeNull();
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

describe('single sign-on with prompt, domain_hint and a required acr', () => {
  const t = useTestApp('pglite', {
    oidc: { ...oidc, prompt: 'select_account', domainHint: 'example.test', acrValues: ['urn:example:mfa'] },
  });

  beforeAll(async () => {
    await createAccountsService({ db: t.database.db }).create(
      { name: 'Strong', email: 'strong@example.test', role: 'inspector', organisationId: null, password: null },
      SYSTEM,
    );
  });

  it('asks for them, and refuses a sign-in without the required acr', async () => {
    const person = { sub: 'subject-strong', email: 'strong@example.test', email_verified: true };
    const weak = await signInWithSso(t, person);
    const request = provider.authorizationRequests.at(-1)!;
    expect([request.get('prompt'), request.get('domain_hint'), request.get('acr_values')]).toEqual([
      'select_account',
      'example.test',
      'urn:example:mfa',
    ]);
    expect(weak.callback.statusCode).toBe(403);
    expect(weak.callback.body).toContain('using multi-factor authentication');
    expect(weak.cookie).not.toContain('session_token');
    expect(await linksOf(t, 'subject-strong')).toEqual([]);

    const strong = await signInWithSso(t, { ...person, acr: 'urn:example:mfa' });
    expect(strong.callback.statusCode).toBe(303);
  });
});

describe('single sign-on with roles from the ID token', () => {
  const t = useTestApp('pglite', {
    oidc: {
      ...oidc,
      roleMapping: {
        claim: 'roles',
        rules: [
          { value: 'kloe.admin', role: 'administrator', organisationCode: undefined },
          { value: 'kloe.viewer', role: 'viewer', organisationCode: undefined },
        ],
      },
    },
  });

  beforeAll(async () => {
    await createAccountsService({ db: t.database.db }).create(
      { name: 'Mapped', email: 'mapped@example.test', role: 'inspector', organisationId: null, password: null },
      SYSTEM,
    );
  });

  it('sets the role at each sign-in, audited, and refuses someone the claim gives no role', async () => {
    const person = { sub: 'subject-mapped', email: 'mapped@example.test', email_verified: true };
    const viewer = await signInWithSso(t, { ...person, roles: ['unrelated', 'kloe.viewer'] });
    expect(viewer.callback.statusCode).toBe(303);
    expect((await me(t, viewer.cookie)).json()).toMatchObject({ role: 'viewer' });
    const changes = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.role_changed'));
    expect(changes.map((c) => [c.actorLabel, c.reason])).toEqual([
      ['system (single sign-on)', "from the provider's roles claim"],
    ]);

    const none = await signInWithSso(t, { ...person, roles: ['unrelated'] });
    expect(none.callback.statusCode).toBe(403);
    expect(none.callback.body).toContain('Your organisation has not given you a role in kloe');
    expect(none.cookie).not.toContain('session_token');
  });
});

describe('single sign-on with just-in-time provisioning for one domain', () => {
  const t = useTestApp('pglite', { oidc: { ...oidc, provisioning: { domains: ['council.test'], role: 'viewer' } } });

  it('adds a verified address of that domain at its first sign-in, audited, and no one else', async () => {
    const added = await signInWithSso(t, {
      sub: 'subject-new',
      email: 'New.Person@council.test',
      email_verified: true,
      name: 'New Person',
    });
    expect(added.callback.statusCode).toBe(303);
    expect((await me(t, added.cookie)).json()).toMatchObject({ email: 'new.person@council.test', role: 'viewer' });
    const person = await repo.findUserByEmail(t.database.db, 'new.person@council.test');
    const [created] = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, person!.id));
    expect(created).toMatchObject({ action: 'user.created', actorLabel: 'system (single sign-on)' });

    const unverified = await signInWithSso(t, { sub: 's2', email: 'other@council.test', email_verified: false });
    expect(unverified.callback.statusCode).toBe(403);
    const elsewhere = await signInWithSso(t, { sub: 's3', email: 'someone@elsewhere.test', email_verified: true });
    expect(elsewhere.callback.statusCode).toBe(403);
    expect(await repo.findUserByEmail(t.database.db, 'other@council.test')).toBeUndefined();
    expect(await repo.findUserByEmail(t.database.db, 'someone@elsewhere.test')).toBeUndefined();
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
    const log = collectLogLines();
    const t = useTestApp('pglite', { oidc: { ...oidc, issuer: 'http://127.0.0.1:9' } }, { logger: log.logger });

    it('says single sign-on is unavailable rather than failing, and logs why', async () => {
      const res = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: { next: '/' } });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain(`${NAME} is not available at the moment`);
      expect(res.body).toContain('action="/sign-in"');
      const failures = log.lines.filter((line) => line.msg === 'single sign-on provider discovery failed');
      expect(failures.length).toBeGreaterThanOrEqual(1);
      expect(failures[0]).toMatchObject({ level: 40, sso: 'discovery_failed', problem: 'unreachable' });
      expect(String(failures[0]!.detail)).toContain('fetch failed');
    });
  });

  describe('provider whose discovery document names another issuer', () => {
    const log = collectLogLines();
    let other: Awaited<ReturnType<typeof startFakeOidcProvider>>;
    const config: { oidc?: OidcConfig } = {};
    beforeAll(async () => {
      other = await startFakeOidcProvider({
        redirectUri: `${testConfig().baseUrl}${SSO_CALLBACK_PATH}`,
        advertisedIssuer: 'https://login.example.org',
      });
      config.oidc = { ...oidc, issuer: other.issuer, clientSecret: other.clientSecret };
    });
    afterAll(() => other?.close());
    const t = useTestApp('pglite', config, { logger: log.logger });

    it('is not trusted: single sign-on stays unavailable, and the log says why', async () => {
      const res = await submitForm(t.app, { page: '/sign-in', action: '/sign-in/sso', fields: { next: '/' } });
      expect(res.statusCode).toBe(503);
      const failure = log.lines.find((line) => line.msg === 'single sign-on provider discovery failed');
      expect(failure).toMatchObject({ problem: 'untrusted' });
      expect(String(failure!.detail)).toContain('issuer does not match the expected issuer');
    });
  });

  describe('provider that hangs', () => {
    let hung: Awaited<ReturnType<typeof startHungServer>>;
    const config: { oidc?: OidcConfig } = {};
    beforeAll(async () => {
      hung = await startHungServer();
      // A long timeout, so that anything waiting for the provider would still be waiting.
      config.oidc = { ...oidc, issuer: hung.url, timeoutSeconds: 60 };
    });
    afterAll(() => hung?.close());
    const t = useTestApp('pglite', config);

    it('does not hold up password sign-in or the sign-in page', async () => {
      const people = createAccountsService({ db: t.database.db });
      await people.create(
        {
          name: 'Password person',
          email: 'password@example.test',
          role: 'inspector',
          organisationId: null,
          password: 'correct horse battery staple 42',
        },
        SYSTEM,
      );
      expect((await t.app.inject({ url: '/sign-in' })).statusCode).toBe(200);
      const res = await submitForm(t.app, {
        page: '/sign-in',
        fields: { email: 'password@example.test', password: 'correct horse battery staple 42', next: '/account' },
      });
      expect(res.statusCode).toBe(303);
      const cookie = cookiesFrom(res.headers['set-cookie']);
      expect((await me(t, cookie)).statusCode).toBe(200);
    });
  });
});
