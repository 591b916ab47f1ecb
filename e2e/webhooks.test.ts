import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolationsWithoutScripts,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';

describe('webhooks pages, in chromium without JavaScript', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let receiver: http.Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = http.createServer((_request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kloe-events`;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled: false })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('admin@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('keeps the input on an error, in a page that passes axe', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/admin\/webhooks$/);
    await page.getByLabel('Address').fill(receiverUrl);
    await page.getByRole('button', { name: 'Register webhook' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose at least one event');
    expect(await page.getByLabel('Address').inputValue()).toBe(receiverUrl);
    await screenshot(page, 'webhooks-error');
    expect(await seriousAccessibilityViolationsWithoutScripts(page)).toEqual([]);
  });

  it('registers the webhook once an event is chosen, showing it on a page that passes axe', async () => {
    await page.getByLabel(/assessment\.published:/).check();
    await page.getByRole('button', { name: 'Register webhook' }).click();
    await page.waitForURL(/\/admin\/webhooks\/[0-9a-f-]+\?done=created$/);
    expect(await page.getByText('The webhook has been registered.').isVisible()).toBe(true);
    expect(await page.getByText(receiverUrl).first().isVisible()).toBe(true);
    await screenshot(page, 'webhook');
    expect(await seriousAccessibilityViolationsWithoutScripts(page)).toEqual([]);
  });
});
