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

describe('performance indicators through the pages, in chromium without JavaScript', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  /** axe runs as a script in the page: it checks each page again in a context with JavaScript on. */
  let axePage: Page;
  const accessibilityViolations = async () => {
    await axePage.goto(page.url());
    return seriousAccessibilityViolations(axePage);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled: false })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('inspector@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    const storageState = await page.context().storageState();
    axePage = await (await contextWithoutServiceWorker(browser, { storageState })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const upload = async (name: string, text: string) => {
    await page.goto(`${server.url}/indicators/import`);
    await page.getByLabel('File').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByRole('button', { name: 'Import' }).click();
  };

  it('lists the bad rows of a file in the error summary and imports nothing', async () => {
    await upload(
      'bad.csv',
      'organisation_code,indicator_code,period,value\nDEMO-P0001,DEMO-I001,2025/26,88\nNOWHERE,DEMO-I001,2025/26,12\n',
    );
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Nothing was imported: 1 row has a problem');
    await expect(summary.textContent()).resolves.toContain('Line 3: No organisation has the code "NOWHERE"');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-import-errors');
  });

  it('imports a file through the page', async () => {
    await upload('good.csv', 'organisation_code,indicator_code,period,value\nDEMO-P0001,DEMO-I001,2025/26,88\n');
    await page.waitForURL(/\/indicators\?imported=1/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Imported 1 rows: 1 new values',
    );
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('opens an organisation’s analysis with its charts and table, and one indicator’s line chart', async () => {
    await page.getByLabel('Organisation name or code', { exact: true }).fill('DEMO-P0001');
    await page.getByRole('button', { name: 'Show analysis' }).click();
    await page.waitForURL(/\/indicators\/organisations\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Performance of /);
    expect(await page.locator('svg[role="img"][aria-label^="Value for money quadrant"]').count()).toBe(1);
    expect(await page.locator('#analysis-table tbody tr').count()).toBe(30);
    // One organisation's figure for a year nobody else has reported yet does not move the trend window,
    // which still ends at the latest year most organisations report; the indicator's own page shows it.
    await expect(page.locator('#analysis-table').textContent()).resolves.toContain('2024/25: ');
    await expect(page.locator('#analysis-table').textContent()).resolves.not.toContain('2025/26');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-analysis');

    await page.locator('#analysis-table a').first().click();
    await page.waitForURL(/\/indicators\/DEMO-I001$/);
    expect(await page.locator('#line-chart svg[role="img"]').count()).toBe(1);
    await expect(page.locator('#series-table').textContent()).resolves.toMatch(/2025\/26\s+88/);
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-line-chart');
  });

  it('defines an indicator, keeping the input when the form is refused', async () => {
    await page.goto(`${server.url}/indicators`);
    await page.getByRole('button', { name: 'Define an indicator' }).click();
    await page.getByLabel('Code').fill('E2E-01');
    await page.getByLabel('Unit').fill('%');
    await page.getByRole('button', { name: 'Define indicator' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter a title');
    await expect(page.getByLabel('Code').inputValue()).resolves.toBe('E2E-01');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-define-errors');
  });

  it('creates a comparator group, shows its members and compares an analysis with it', async () => {
    await page.goto(`${server.url}/indicators`);
    await page.getByRole('link', { name: 'Comparator groups' }).click();
    await page.getByLabel('Name').fill('E2E neighbours');
    await page.getByLabel('Nearest neighbours').check();
    await page.getByLabel('Organisation code', { exact: true }).fill('NOWHERE');
    await page.getByRole('button', { name: 'Create group' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'No organisation has the id or code "NOWHERE"',
    );
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-comparator-groups-errors');

    await page.getByLabel('Organisation code', { exact: true }).fill('DEMO-P0001');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.waitForURL(/\/indicators\/comparator-groups\/[0-9a-f-]{36}\?done=created$/);
    expect(await page.locator('#members tbody tr').count()).toBeGreaterThan(0);
    await expect(page.locator('#members thead').textContent()).resolves.toContain('Distance');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'indicators-comparator-group');

    await page.goto(`${server.url}/indicators?code=DEMO-P0001`);
    await page.getByLabel('Compare with').selectOption({ label: 'E2E neighbours' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/\?group=[0-9a-f-]{36}$/);
    await expect(page.locator('main').textContent()).resolves.toContain('E2E neighbours');
    expect(await accessibilityViolations()).toEqual([]);
  });
});
