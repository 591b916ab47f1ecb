import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';

describe('signing in and seeing only your organisation, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await contextWithoutServiceWorker(browser)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(email: string, password: string) {
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
  }

  it('shows a clear error for a wrong password, with the email kept', async () => {
    await signIn('member@example.org', 'not the password at all');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter a correct email address and password',
    );
    expect(await page.getByLabel('Email address').inputValue()).toBe('member@example.org');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-error');
  });

  it('lets an organisation member see their own organisation and no other, then sign out', async () => {
    await signIn('member@example.org', DEMO_PASSWORD);
    await page.goto(`${server.url}/organisations`);
    const names = await page.locator('main table tbody tr').allTextContents();
    expect(names).toHaveLength(1);
    expect(names[0]).toContain('Ashdown District Council');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'organisations-as-member');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/sign-in');
    await page.goto(`${server.url}/organisations`);
    await expect.poll(() => page.url()).toContain('/sign-in?next=');
  });

  it('gives an administrator the people and audit pages, without accessibility violations', async () => {
    await signIn('admin@example.org', DEMO_PASSWORD);
    for (const path of ['/admin/users', '/admin/users/new', '/admin/audit', '/organisations', '/account']) {
      await page.goto(`${server.url}${path}`);
      expect(page.url(), path).toBe(`${server.url}${path}`);
      expect(await seriousAccessibilityViolations(page), path).toEqual([]);
    }
    await page.goto(`${server.url}/admin/users`);
    const rows = await page.locator('main table tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'people');
  });
});
