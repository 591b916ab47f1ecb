import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
/** The machine running the suite may be busy: axe on a long page takes a while. */
const STEP = 180_000;

describe('recommendations and the report, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  /** Forms are used with JavaScript off; axe needs it on, so it checks the same pages in a second tab. */
  let noJs: Page;
  let js: Page;
  let base: string;

  async function signedIn(javaScriptEnabled: boolean) {
    const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('lead.inspector@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    [noJs, js] = [await signedIn(false), await signedIn(true)];
    await noJs.goto(`${server.url}/assessments`);
    await noJs.getByRole('link', { name: 'Housing repairs inspection 2026' }).click();
    await noJs.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    base = new URL(noJs.url()).pathname;
  }, STEP);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'adds a recommendation linked to an area for improvement without JavaScript; the page passes axe',
    async () => {
      await noJs.goto(`${server.url}${base}/recommendations`);
      await noJs.getByRole('button', { name: 'Add recommendation' }).click();
      expect(await noJs.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true);
      await noJs.getByLabel('Recommendation', { exact: true }).fill('Benchmark repair costs against similar landlords');
      await noJs.getByLabel('High', { exact: true }).check();
      await noJs.getByLabel('Outcome it should achieve').fill('Costs in the top quartile by 2028');
      await noJs.getByRole('group', { name: 'Areas for improvement it answers' }).getByRole('checkbox').first().check();
      await noJs.getByRole('button', { name: 'Add recommendation' }).click();
      await noJs.waitForURL(/done=added/);
      expect(await noJs.locator('#recommendations').textContent()).toContain(
        'Benchmark repair costs against similar landlords',
      );

      await js.goto(`${server.url}${base}/recommendations`);
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
      await screenshot(js, 'recommendations');
      await js.getByRole('button', { name: 'Add recommendation' }).click();
      await js.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
    },
    STEP,
  );

  it(
    'shows the report with the draft watermark and download links, without serious axe violations',
    async () => {
      await noJs.goto(`${server.url}${base}/report`);
      expect(await noJs.getByRole('heading', { name: 'Summary judgement' }).isVisible()).toBe(true);
      expect(await noJs.locator('#draft').textContent()).toContain('Draft');
      expect(await noJs.getByRole('link', { name: 'Word document (DOCX)' }).getAttribute('href')).toBe(
        `${base}/report.docx`,
      );
      expect(await noJs.locator('.kloe-report').textContent()).toContain(
        'Benchmark repair costs against similar landlords',
      );

      await js.goto(`${server.url}${base}/report`);
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
      await screenshot(js, 'report-page');
      await js.emulateMedia({ media: 'print' });
      await screenshot(js, 'report-page-print');
      await js.emulateMedia({ media: 'screen' });
    },
    STEP,
  );

  it(
    'serves the standalone HTML report, which passes axe too',
    async () => {
      const html = await js.request.get(`${server.url}${base}/report.html`);
      expect(html.status()).toBe(200);
      expect(html.headers()['content-disposition']).toContain('housing-repairs-inspection-2026-draft.html');
      const standalone = await (await browser.newContext()).newPage();
      await standalone.setContent(await html.text());
      expect(await standalone.title()).toBe('Draft: Housing repairs inspection 2026');
      expect(await seriousAccessibilityViolations(standalone)).toEqual([]);
      await screenshot(standalone, 'report-standalone');
    },
    STEP,
  );
});
