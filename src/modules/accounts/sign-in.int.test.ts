import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { cookiesFrom, mergeCookies, submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createAccountsService } from './accounts.service.js';
import { signInThrottles } from './accounts.tables.js';
import { throttleKeys } from './sign-in-throttle.js';

const PASSWORD = 'a long and unusual passphrase';
const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('signing in and out', (driver) => {
  const t = useTestApp(driver);

  beforeAll(async () => {
    const accounts = createAccountsService({ db: t.database.db });
    for (const email of ['ada@example.test', 'lock@example.test', 'gone@example.test', 'old@example.test']) {
      await accounts.create(
        { name: email.split('@')[0]!, email, role: 'inspector', organisationId: null, password: PASSWORD },
        SYSTEM,
      );
    }
    const gone = await accounts.findByEmail('gone@example.test');
    await accounts.setDisabled(gone!.id, true, SYSTEM, 'left');
  });

  async function signIn(email: string, password: string) {
    const res = await submitForm(t.app, { page: '/sign-in', fields: { email, password, next: '/account' } });
    return { res, cookie: cookiesFrom(res.headers['set-cookie']) };
  }

  it('signs in with the right password, keeps a session cookie, and signs out', async () => {
    const { res, cookie } = await signIn('Ada@Example.test', PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    const setCookie = [res.headers['set-cookie']].flat().join('\n');
    expect(setCookie).toMatch(/kloe\.session_token=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const account = await t.app.inject({ url: '/account', headers: { cookie } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('ada@example.test');

    const out = await submitForm(t.app, { page: '/account', action: '/sign-out', headers: { cookie }, fields: {} });
    expect(out.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/account', headers: { cookie } });
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/sign-in?next=%2Faccount');
  });

  it('gives the same answer for a wrong password, an unknown email and a disabled account', async () => {
    const answers = await Promise.all([
      signIn('ada@example.test', 'wrong password entirely'),
      signIn('nobody@example.test', PASSWORD),
      signIn('gone@example.test', PASSWORD),
    ]);
    for (const { res, cookie } of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Enter a correct email address and password');
      expect(res.body).toContain('govuk-error-summary');
      expect(cookie).not.toContain('session_token');
    }
    expect(answers[0]!.res.body).toContain('value="ada@example.test"'); // the email typed is kept
    expect(answers[0]!.res.body).not.toContain('wrong password entirely');
  });

  it('answers a known and an unknown email alike while they must wait: 429, the same words, Retry-After', async () => {
    const { db } = t.database;
    const tenMinutes = new Date(Date.now() + 10 * 60_000);
    for (const email of ['lock@example.test', 'nobody-at-all@example.test']) {
      for (const { key, emailKey } of throttleKeys(email, '127.0.0.1'))
        await db
          .insert(signInThrottles)
          .values({ key, emailKey, failures: 9, lastFailureAt: new Date(), waitUntil: tenMinutes })
          .onConflictDoNothing();
    }
    const [known, unknown] = [
      await signIn('lock@example.test', PASSWORD),
      await signIn('nobody-at-all@example.test', PASSWORD),
    ];
    for (const { res, cookie } of [known, unknown]) {
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(500);
      expect(res.body).toMatch(/Too many attempts to sign in\. Wait 10 minutes, then try again\./);
      expect(cookie).not.toContain('session_token');
    }
    const words = (body: string) =>
      body
        .replace(/lock@example\.test|nobody-at-all@example\.test/g, 'EMAIL')
        .replace(/nonce(-|=")[^'"]+|(value|content)="[^"]{20,}"/g, '');
    expect(words(known.res.body)).toBe(words(unknown.res.body));
  });

  it('ends a session past its absolute lifetime, and one left idle', async () => {
    const absolute = await signIn('old@example.test', PASSWORD);
    await t.database.db.execute(sql`update sessions set created_at = now() - interval '13 hours'`);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: absolute.cookie } })).statusCode).toBe(401);

    const idle = await signIn('old@example.test', PASSWORD);
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 minute'`);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: idle.cookie } })).statusCode).toBe(401);
  });

  it('signs out everywhere', async () => {
    const first = await signIn('ada@example.test', PASSWORD);
    const second = await signIn('ada@example.test', PASSWORD);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: first.cookie } })).statusCode).toBe(200);
    const res = await submitForm(t.app, {
      page: '/account',
      action: '/account/sign-out-everywhere',
      headers: { cookie: second.cookie },
      fields: {},
    });
    expect(res.statusCode).toBe(303);
    for (const { cookie } of [first, second]) {
      expect((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    }
  });

  it('lets a person choose a token’s access and expiry on their account page, keeping what they typed on a mistake', async () => {
    const { cookie } = await signIn('ada@example.test', PASSWORD);
    const page = await t.app.inject({ url: '/account', headers: { cookie } });
    expect(page.body).toMatch(/<input[^>]+name="scope"[^>]+value="read" checked/);
    expect(page.body).toMatch(/<input[^>]+name="expiresInDays"[^>]+value="90" checked/);
    const made = await submitForm(t.app, {
      page: '/account',
      action: '/account/tokens',
      headers: { cookie },
      fields: { name: 'Housing dashboard', scope: 'write', expiresInDays: '30' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.body).toMatch(/<code class="kloe-token" id="new-token">kloe_/);
    expect(made.body).toContain('Read and write');
    const wrong = await submitForm(t.app, {
      page: '/account',
      action: '/account/tokens',
      headers: { cookie },
      fields: { name: 'Nightly export', scope: 'write', expiresInDays: '5000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('govuk-error-summary');
    expect(wrong.body).toContain('A token can last at most 365 days');
    expect(wrong.body).toContain('value="Nightly export"');
    expect(wrong.body).toMatch(/<input[^>]+name="scope"[^>]+value="write" checked/);
  });

  it('refuses a form post without its CSRF token', async () => {
    const { cookie } = await signIn('ada@example.test', PASSWORD);
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/tokens',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=sneaky',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired or did not come from kloe');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/account/tokens',
      headers: { cookie: mergeCookies(cookie), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=sneaky&_csrf=made-up-token',
    });
    expect(forged.statusCode).toBe(403);
  });

  it('sends only safe redirects after sign-in', async () => {
    const res = await submitForm(t.app, {
      page: '/sign-in',
      fields: { email: 'ada@example.test', password: PASSWORD, next: '//evil.example/steal' },
    });
    expect(res.headers.location).toBe('/');
  });

  it('keeps a signed-in person on kloe whatever next says (a tab the browser drops included)', async () => {
    const { cookie } = await signIn('ada@example.test', PASSWORD);
    const res = await t.app.inject({ url: '/sign-in?next=%2F%09%2Fevil.example', headers: { cookie } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const kept = await t.app.inject({ url: '/sign-in?next=%2Fframeworks%3Fv%3D1', headers: { cookie } });
    expect(kept.headers.location).toBe('/frameworks?v=1');
  });

  it('sets security headers: a CSP without inline scripts, no framing', async () => {
    const res = await t.app.inject({ url: '/sign-in' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeUndefined(); // only behind TLS
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(res.body).toContain(`<script nonce="${nonce}">`);
  });
});

describeEachDatabase('sign-in rate limit', (driver) => {
  const t = useTestApp(driver, { signInAttemptsPerMinute: 3 });

  it('answers 429 past the attempts allowed per minute from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await submitForm(t.app, {
        page: '/sign-in',
        fields: { email: 'x@example.test', password: 'nope nope nope' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describeEachDatabase('sign-in throttle behind a reverse proxy', (driver) => {
  const behindProxy = useTestApp(driver, { trustProxy: ['127.0.0.1'] });
  const direct = useTestApp(driver);
  const GUESSER = '198.51.100.9';

  beforeAll(async () => {
    for (const { database } of [behindProxy, direct]) {
      const until = new Date(Date.now() + 10 * 60_000);
      // The guesser's address must wait; the email itself (from anywhere) need not.
      const keys = throttleKeys('someone@example.test', GUESSER).filter((k) => k.rule.scope !== 'email');
      for (const { key, emailKey } of keys)
        await database.db
          .insert(signInThrottles)
          .values({ key, emailKey, failures: 9, lastFailureAt: new Date(), waitUntil: until });
    }
  });

  const attempt = (t: typeof direct, forwardedFor: string) =>
    submitForm(t.app, {
      page: '/sign-in',
      headers: { 'x-forwarded-for': forwardedFor },
      fields: { email: 'someone@example.test', password: 'a guess of a password' },
    });

  it('counts the client named by a trusted proxy (KLOE_TRUST_PROXY), and no one else’s word for it', async () => {
    expect((await attempt(behindProxy, GUESSER)).statusCode).toBe(429);
    expect((await attempt(behindProxy, '203.0.113.50')).statusCode).toBe(401);
    // Without KLOE_TRUST_PROXY a client cannot pick its address by sending the header.
    expect((await attempt(direct, GUESSER)).statusCode).toBe(401);
  });
});
