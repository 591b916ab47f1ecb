import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

describe('browsing the framework in chromium', () => {
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

  it('goes from the home page to KLOE 5.2.4 and shows its nested sub-list', async () => {
    await page.goto(server.url);
    expect(await page.title()).toBe('Home – kloe');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'home');

    await page.getByRole('button', { name: 'Browse the framework' }).click();
    await expect.poll(() => page.url()).toContain('/frameworks/audit-commission-j2');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /^5\.2\.4 / }).click();
    await expect.poll(() => page.url()).toContain('/kloes/5.2.4');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toMatch(/^5\.2\.4 Does the service learn/);

    const subItems = page.locator('.kloe-descriptor--promising .kloe-statement-list > li .kloe-sub-items > li');
    expect(await subItems.count()).toBe(6);
    await expect.poll(() => subItems.first().isVisible()).toBe(true);
    // The sub-list hangs under the statement that introduces it, not beside it.
    const parentText = await page
      .locator('.kloe-statement-list > li', { has: page.locator('.kloe-sub-items') })
      .textContent();
    expect(parentText).toMatch(/as a result of/i);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'kloe-5.2.4');
  });

  it('shows every KLOE on the one-page view without accessibility violations', async () => {
    await page.goto(`${server.url}/frameworks/audit-commission-j2/all`);
    expect(await page.locator('.kloe-statement-list > li').count()).toBe(103);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('works with JavaScript off', async () => {
    const context = await contextWithoutServiceWorker(browser, { javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(`${server.url}/frameworks/audit-commission-j2`);
    await noJs.getByRole('link', { name: /^4\.3 / }).click();
    await expect.poll(() => noJs.url()).toContain('/kloes/4.3');
    expect(await noJs.locator('[id="4.3-U1"]').textContent()).toContain('User satisfaction is mixed');
    await context.close();
  });
});
