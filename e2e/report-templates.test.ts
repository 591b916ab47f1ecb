import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { docxPart, xmlText } from '../src/modules/reports/testing/files.js';
import { templateDocx } from '../src/modules/reports/testing/template-files.js';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
/** The machine running the suite may be busy. */
const STEP = 180_000;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('custom report templates, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  async function signedIn(email: string, javaScriptEnabled: boolean) {
    const page = await (
      await contextWithoutServiceWorker(browser, { javaScriptEnabled, acceptDownloads: true })
    ).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, STEP);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'uploads a template from the page without JavaScript: a broken one is refused, naming the placeholder; the page passes axe',
    async () => {
      const admin = await signedIn('admin@example.org', false);
      await admin.getByRole('link', { name: 'Report templates' }).click();
      await admin.waitForURL(/\/report-templates$/);

      await admin.getByLabel('Name').fill('Inspectorate house style');
      await admin.getByLabel('Description (optional)').fill('For every published inspection');
      await admin.getByLabel('Word document (DOCX)').setInputFiles({
        name: 'broken.docx',
        mimeType: DOCX,
        buffer: await templateDocx(['Report for {{organisation.nme}}']),
      });
      await admin.getByRole('button', { name: 'Add template' }).click();
      expect(await admin.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true);
      expect(await admin.locator('.govuk-error-summary').textContent()).toContain(
        'Unknown placeholder "organisation.nme" in the template',
      );
      expect(await admin.getByLabel('Name').inputValue()).toBe('Inspectorate house style');
      expect(await admin.getByLabel('Description (optional)').inputValue()).toBe('For every published inspection');

      const starter = await admin.request.get(`${server.url}/report-templates/starter.docx`);
      expect(starter.status()).toBe(200);
      await admin.getByLabel('Word document (DOCX)').setInputFiles({
        name: 'starter.docx',
        mimeType: DOCX,
        buffer: await starter.body(),
      });
      await admin.getByRole('button', { name: 'Add template' }).click();
      await admin.waitForURL(/done=added/);
      expect(await admin.locator('#templates').textContent()).toContain('Inspectorate house style');
      expect(await admin.locator('#templates').textContent()).toContain('Every organisation (shared)');

      const js = await signedIn('admin@example.org', true);
      await js.goto(`${server.url}/report-templates`);
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
      await screenshot(js, 'report-templates');
      await js.getByRole('button', { name: 'Add template' }).click();
      await js.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await seriousAccessibilityViolations(js)).toEqual([]);
    },
    STEP,
  );

  it(
    'downloads the report filled into the template from the report page; that page passes axe',
    async () => {
      const lead: Page = await signedIn('lead.inspector@example.org', true);
      await lead.goto(`${server.url}/assessments`);
      await lead.getByRole('link', { name: 'Housing repairs inspection 2026' }).click();
      await lead.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
      await lead.goto(`${lead.url()}/report`);
      await lead
        .getByLabel('Word document from a template')
        .selectOption({ label: 'Inspectorate house style (shared)' });
      const [download] = await Promise.all([
        lead.waitForEvent('download'),
        lead.getByRole('button', { name: 'Download Word document' }).click(),
      ]);
      const text = xmlText(docxPart(fs.readFileSync((await download.path())!), 'word/document.xml'));
      expect(text).toContain('Organisation: Ashdown District Council');
      expect(text).toMatch(/KLOE 4\.1: /);
      expect(text).not.toContain('{{');
      expect(await seriousAccessibilityViolations(lead)).toEqual([]);
      await screenshot(lead, 'report-page-template-choice');
    },
    STEP,
  );
});
