import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

/** The page's window, as the function given to evaluate sees it (the e2e files are type-checked without the DOM). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { fontFamily: string };
}

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
    const page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled })).newPage();
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
    'shows the report and a chart page with no console errors: the charts break no Content-Security-Policy rule',
    async () => {
      const page = await signedIn(true);
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}${base}/report`);
      // The demo inspection's report has the value-for-money quadrant and the chosen indicators' line charts.
      expect(await page.locator('.kloe-report__chart svg').count()).toBeGreaterThan(1);
      await page.goto(`${server.url}/indicators`);
      await page.getByLabel('Organisation name or code', { exact: true }).fill('DEMO-P0001');
      await page.getByRole('button', { name: 'Show analysis' }).click();
      await page.waitForURL(/\/indicators\/organisations\/[0-9a-f-]{36}$/);
      await page.locator('#analysis-table a').first().click();
      await page.waitForURL(/\/indicators\/organisations\/[0-9a-f-]{36}\/indicators\/DEMO-I\d+$/);
      expect(await page.locator('#line-chart svg[role="img"]').count()).toBe(1);
      // The axis labels keep their sans-serif font, which a refused style attribute used to lose.
      expect(
        await page
          .locator('#line-chart svg text')
          .first()
          .evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).fontFamily),
      ).toContain('arial');
      expect(errors).toEqual([]);
      await page.context().close();
    },
    STEP,
  );

  it(
    'lets the lead write the executive summary, shown first in the report; the form passes axe',
    async () => {
      await noJs.goto(`${server.url}${base}/report`);
      await noJs.getByLabel('Executive summary').fill('x'.repeat(6001));
      await noJs.getByRole('button', { name: 'Save executive summary' }).click();
      expect(await noJs.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true);
      expect((await noJs.getByLabel('Executive summary').inputValue()).length).toBe(6001);
      await noJs
        .getByLabel('Executive summary')
        .fill('Repairs are faster than two years ago.\n\nCosts are not yet compared with similar landlords.');
      await noJs.getByRole('button', { name: 'Save executive summary' }).click();
      await noJs.waitForURL(/done=summary/);
      const report = noJs.locator('.kloe-report');
      expect(await report.locator('#executive-summary ~ p').first().textContent()).toBe(
        'Repairs are faster than two years ago.',
      );
      await js.goto(`${server.url}${base}/report`);
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
      await screenshot(js, 'report-executive-summary');
    },
    STEP,
  );

  it(
    'serves the standalone HTML report, which passes axe too',
    async () => {
      const html = await js.request.get(`${server.url}${base}/report.html`);
      expect(html.status()).toBe(200);
      expect(html.headers()['content-disposition']).toContain('housing-repairs-inspection-2026-draft.html');
      const standalone = await (await contextWithoutServiceWorker(browser)).newPage();
      await standalone.setContent(await html.text());
      expect(await standalone.title()).toBe('Draft: Housing repairs inspection 2026');
      expect(await seriousAccessibilityViolations(standalone)).toEqual([]);
      await screenshot(standalone, 'report-standalone');
    },
    STEP,
  );
});
