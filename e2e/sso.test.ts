import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contextWithoutServiceWorker, launchBrowser, screenshot } from './support/browser.js';
import { freePort, startOidcProvider, type RunningProvider } from './support/oidc-provider.js';
import { startServer, type RunningServer } from './support/server.js';

const NAME = 'Example ID';
const DEMO_PASSWORD = 'kloe-demo-2026';

/** kloe on 127.0.0.1 (its provider on localhost: two sites, so the redirect back is cross-site). */
async function startKloe(port: number, env: Record<string, string>): Promise<{ server: RunningServer; url: string }> {
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer({ PORT: String(port), HOST: '127.0.0.1', KLOE_BASE_URL: url, ...env });
  return { server, url };
}

describe('single sign-on in chromium, through a real OpenID provider on another site', () => {
  let provider: RunningProvider;
  let kloe: { server: RunningServer; url: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider(`http://127.0.0.1:${port}`);
    provider.accounts.set('ian', {
      email: 'inspector@example.org',
      email_verified: true,
      name: 'Ian at the provider',
      roles: ['kloe.inspector'],
    });
    // Vivian is a viewer in kloe's demo data; the provider's app role makes her an inspector.
    provider.accounts.set('vivian', { email: 'viewer@example.org', email_verified: true, roles: ['kloe.inspector'] });
    provider.accounts.set('no-role', { email: 'lead.inspector@example.org', email_verified: true, roles: ['other'] });
    provider.accounts.set('stranger', { email: 'stranger@example.org', email_verified: true });
    provider.accounts.set('unverified', { email: 'nobody@example.org', email_verified: false });
    provider.accounts.set('entra-like', { name: 'No email claim' });
    [kloe, browser] = await Promise.all([
      startKloe(port, {
        KLOE_OIDC_ISSUER: provider.issuer,
        KLOE_OIDC_CLIENT_ID: provider.clientId,
        KLOE_OIDC_CLIENT_SECRET: provider.clientSecret,
        KLOE_OIDC_NAME: NAME,
        KLOE_OIDC_ROLE_CLAIM: 'roles',
        KLOE_OIDC_ROLE_MAP: 'kloe.admin=administrator; kloe.inspector=inspector',
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await kloe?.server.stop();
    await provider?.stop();
  });

  async function freshPage() {
    await context?.close();
    context = await contextWithoutServiceWorker(browser);
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }

  /** Presses the button on kloe's sign-in page and signs in at the provider's own login page as `login`. */
  async function signInAtProvider(login: string) {
    await page.goto(`${kloe.url}/sign-in?next=/account`);
    await page.getByRole('button', { name: `Sign in with ${NAME}` }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('anything at all');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const consent = page.getByRole('button', { name: 'Continue' });
    await page.waitForURL((url) => url.origin === kloe.url || url.pathname.startsWith('/interaction'));
    if (new URL(page.url()).origin !== kloe.url) await consent.click();
    await page.waitForURL((url) => url.origin === kloe.url);
    await page.waitForLoadState();
  }

  it('signs in from the button, through the provider and back, with kloe’s CSP enforced', async () => {
    await freshPage();
    const signInPage = await page.goto(`${kloe.url}/sign-in`);
    const csp = signInPage!.headers()['content-security-policy'];
    expect(csp).toMatch(new RegExp(`form-action 'self' ${provider.issuer}`));

    await signInAtProvider('ian');
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await page.locator('main').textContent()).toContain('inspector@example.org');
    expect(cspViolations).toEqual([]);
    await screenshot(page, 'sso-signed-in');
  });

  it('signs out at the provider too, so the next sign-in asks for the login again', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${kloe.url}/sign-in?signedOut=1`);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('You have signed out.');

    await page.goto(`${kloe.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByRole('button', { name: `Sign in with ${NAME}` }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await expect.poll(() => page.locator('input[name="login"]').count()).toBe(1);
    expect(cspViolations).toEqual([]);
  });

  it('ends kloe’s session when the session at the provider ends (back-channel logout)', async () => {
    await freshPage();
    await signInAtProvider('ian');
    expect(new URL(page.url()).pathname).toBe('/account');

    const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as {
      end_session_endpoint: string;
    };
    await page.goto(discovery.end_session_endpoint);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForLoadState();

    await expect
      .poll(async () => {
        await page.goto(`${kloe.url}/account`);
        return new URL(page.url()).pathname;
      })
      .toBe('/sign-in');
  });

  it('gives the role the provider’s app role maps to', async () => {
    await freshPage();
    await signInAtProvider('vivian');
    expect(new URL(page.url()).pathname).toBe('/account');
    const role = page.locator('.govuk-summary-list__row', { hasText: 'Role' });
    expect(await role.textContent()).toContain('Inspector');
  });

  it.each([
    ['no-role', 'Your organisation has not given you a role in kloe'],
    ['stranger', 'Your organisation account is not set up in kloe: ask an administrator to add stranger@example.org'],
    ['unverified', 'and your organisation did not confirm that nobody@example.org is yours'],
    ['entra-like', `${NAME} did not send your email address (the email claim)`],
  ])('refuses %s with a message that says why, and no session', async (login, message) => {
    await freshPage();
    await signInAtProvider(login);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(message);
    await page.goto(`${kloe.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});

describe('a provider that hangs, in chromium', () => {
  let kloe: { server: RunningServer; url: string };
  let browser: Browser;
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => sockets.add(socket));

  beforeAll(async () => {
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.2', resolve));
    const issuer = `http://127.0.0.2:${(hung.address() as { port: number }).port}`;
    [kloe, browser] = await Promise.all([
      startKloe(await freePort(), {
        KLOE_OIDC_ISSUER: issuer,
        KLOE_OIDC_CLIENT_ID: 'kloe',
        KLOE_OIDC_CLIENT_SECRET: 'a secret for a provider that never answers',
        KLOE_OIDC_NAME: NAME,
        // Longer than the test may take: whatever waited for the provider would still be waiting.
        KLOE_OIDC_TIMEOUT_SECONDS: '60',
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await kloe?.server.stop();
    for (const socket of sockets) socket.destroy();
    hung.close();
  });

  it('does not slow password sign-in or signed-in pages', async () => {
    const page = await (await contextWithoutServiceWorker(browser)).newPage();
    await page.goto(`${kloe.url}/sign-in`);
    await page.getByLabel('Email address').fill('admin@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await page.goto(`${kloe.url}/account`);
    expect(await page.locator('main').textContent()).toContain('admin@example.org');
  });
});
