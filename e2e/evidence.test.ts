import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeDocx, makePdf } from '../src/files/sample-files.js';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
const SELF_ASSESSMENT = 'Housing repairs self-assessment 2026';

describe('evidence of a self-assessment, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let evidenceUrl: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedInPage(javaScriptEnabled: boolean): Promise<Page> {
    const page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled })).newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('member@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  const uncovered = async (page: Page) => Number(/^(\d+)/.exec((await page.locator('#uncovered').textContent())!)![1]);

  it('uploads two documents, finds a passage, links it to a statement and sees the coverage change, with JavaScript off', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}/assessments`);
    await page.getByRole('link', { name: SELF_ASSESSMENT }).click();
    await page.getByRole('navigation', { name: 'Assessment' }).getByRole('link', { name: 'Evidence' }).click();
    evidenceUrl = page.url();

    await page.getByRole('link', { name: 'Coverage map' }).click();
    const before = await uncovered(page);
    await page.goBack();

    await page.getByLabel('Title', { exact: true }).fill('Repairs improvement plan and targets');
    await page.getByLabel('Kind').selectOption({ label: 'Document' });
    await page.getByLabel('Source (optional)').fill('Head of housing repairs');
    await page.getByLabel('Files (optional)').setInputFiles([
      {
        name: 'improvement-plan.pdf',
        mimeType: 'application/pdf',
        buffer: makePdf('Repairs improvement plan 2025-28\nThe backlog of responsive repairs fell by a third.'),
      },
      {
        name: 'targets.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: makeDocx('Targets are reviewed by councillors every quarter.'),
      },
    ]);
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/done=added/);
    expect(await page.locator('.kloe-hash').count()).toBe(2);
    expect(await page.getByText('Text extracted').count()).toBe(2);

    await page.goto(`${evidenceUrl}/search`);
    await page.getByLabel('Words to find').fill('backlog');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=backlog/);
    expect(await page.locator('#result-list mark').first().textContent()).toBe('backlog');
    await page.getByRole('link', { name: 'Repairs improvement plan and targets' }).click();

    await page.getByLabel('Statement or KLOE').selectOption('4.2-U1');
    await page.getByLabel('Quote or passage (optional)').fill('The backlog of responsive repairs fell by a third.');
    await page.getByLabel('Page (optional)').fill('1');
    await page.getByRole('button', { name: 'Add link' }).click();
    await page.waitForURL(/done=linked/);
    expect(await page.locator('#link-list').textContent()).toContain('4.2-U1');

    await page.goto(`${evidenceUrl}/coverage`);
    expect(await uncovered(page)).toBe(before - 1);
    await page.goto(`${server.url}${new URL(evidenceUrl).pathname.replace(/\/evidence$/, '')}/kloes/4.2`);
    expect(await page.locator('#statement-4\\.2-U1').textContent()).toContain('Repairs improvement plan and targets');
  });

  it('sends files with a progress bar when JavaScript is on, and shows a refusal in place with the error summary', async () => {
    const page = await signedInPage(true);
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') uploads.push(request.resourceType());
    });
    await page.goto(evidenceUrl);
    // goto, not click: the count below must be of the item page, loaded.
    const itemUrl = `${server.url}${await page.locator('#evidence-items a').first().getAttribute('href')}`;
    await page.goto(itemUrl);
    const listed = await page.locator('.kloe-hash').count();
    expect(listed).toBeGreaterThan(0);

    const minutes = 'Minutes of the repairs board: the backlog is reported monthly.\n'.repeat(20_000); // 1.3 MB
    await page.locator('input#files').setInputFiles({
      name: 'board-minutes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(minutes),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('.kloe-upload-progress progress').waitFor();
    await page.waitForURL(/done=uploaded/);
    expect(uploads).toEqual(['xhr']);
    expect(await page.locator('.kloe-hash').count()).toBe(listed + 1);
    expect(await page.locator('body').textContent()).toContain('board-minutes.txt');

    await page.locator('input#files').setInputFiles({
      name: 'minutes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ\x90\x00 this is a Windows program, not a PDF'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('minutes.pdf');
    expect(page.url().split('?')[0]).toBe(itemUrl.split('?')[0]);
    expect(await page.locator('.govuk-error-summary:focus').count()).toBe(1); // moved there, as on a full page
    expect(uploads).toEqual(['xhr', 'xhr']);
    await screenshot(page, 'evidence-upload-refused-js');
  });

  it('has no serious accessibility violations on the evidence pages', async () => {
    const page = await signedInPage(true);
    const base = evidenceUrl;
    await page.goto(base);
    const itemHref = await page.locator('#evidence-items a').first().getAttribute('href');
    for (const [name, url] of [
      ['evidence-list', base],
      ['evidence-item', `${server.url}${itemHref}`],
      ['evidence-item-edit', `${server.url}${itemHref}/edit`],
      ['evidence-item-delete', `${server.url}${itemHref}/delete`],
      ['evidence-search', `${base}/search?q=repairs`],
      ['evidence-search-all', `${server.url}/evidence/search?q=damp`],
      ['evidence-coverage', `${base}/coverage`],
      ['evidence-requests', `${base}/requests`],
    ] as const) {
      await page.goto(url);
      expect(await seriousAccessibilityViolations(page), name).toEqual([]);
      await screenshot(page, name);
    }
  });
});
