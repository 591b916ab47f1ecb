/**
 * The judging page and what surrounds it, in chromium (issue 21, items 5–10): the suggested rating follows
 * the findings as they are chosen and a save returns to where the person was; a refused save describes the
 * findings as submitted; the statements that drove the suggestion, each once; evidence suggestions with the
 * passage that matched, several accepted at once; the KLOE's history in plain words; dangerous steps ask first.
 */
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
const REFS_512 = [1, 2, 3, 4, 5, 6].flatMap((n) => [`5.1.2-P${n}`, `5.1.2-U${n}`]);

describe('judging a KLOE, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let address: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedInPage(javaScriptEnabled: boolean): Promise<Page> {
    const page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled })).newPage();
    page.setDefaultTimeout(60_000); // a step that cannot happen fails, naming itself, rather than the whole test
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('member@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  const finding = (page: Page, ref: string, outcome: string) =>
    page.locator(`input[name="finding-${ref}"][value="${outcome}"]`);

  it('opens a self-assessment to judge', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}/assessments`);
    await page.getByRole('button', { name: 'Open an assessment' }).click();
    await page
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Ashdown District Council — Housing repairs' });
    await page.getByLabel('Title', { exact: true }).fill('Judging page check');
    await page.getByRole('button', { name: 'Open assessment' }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
    address = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Start fieldwork' }).click();
    await page.waitForURL(/done=/);
  });

  it('updates the suggestion as findings change, lists a partly met statement once, and returns where the person was', async () => {
    const page = await signedInPage(true);
    await page.goto(`${server.url}${address}/kloes/5.1.2`);
    const panel = page.locator('#suggestion');
    expect(await panel.textContent()).toContain('The findings saved so far suggest no rating yet');
    for (const ref of REFS_512) await finding(page, ref, 'met').check();
    await expect.poll(() => panel.textContent()).toContain('(not saved yet) suggest Promising');
    expect(await page.locator('#progress').textContent()).toContain('12 of 12 statements judged');
    expect(await page.locator('label[for="finalRating-2"]').textContent()).toContain('Promising (suggested)');

    await finding(page, '5.1.2-P3', 'partly_met').check();
    await expect
      .poll(() => panel.textContent())
      .toMatch(/5\.1\.2-P3\s+partly met: supports promising and holds back from excellent/);
    expect(await panel.locator('a[href="#statement-5.1.2-P3"]').count()).toBe(1);
    await finding(page, '5.1.2-U1', 'not_judged').check();
    await expect.poll(() => panel.textContent()).toContain('1 of 12 statements is not yet judged');
    expect(await page.locator('#progress').textContent()).toContain('11 of 12 statements judged');
    await finding(page, '5.1.2-U1', 'met').check();
    await screenshot(page, 'judging-live-suggestion');

    // The save returns to the statement last worked in, not the top of the page.
    await finding(page, '5.1.2-P3', 'partly_met').focus();
    await page.getByRole('button', { name: 'Save KLOE', exact: true }).click();
    await page.waitForURL(/done=saved/);
    expect(new URL(page.url()).hash).toBe('#statement-5.1.2-P3');
    expect(Number(await page.evaluate('window.scrollY'))).toBeGreaterThan(500);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('KLOE 5.1.2 has been saved');
    expect(await panel.textContent()).toContain('The findings saved so far suggest Promising');
  });

  it('after a refused save, the counts, the suggestion and the message all describe the findings as submitted', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}${address}/kloes/5.1.2`);
    for (const ref of REFS_512) await finding(page, ref, 'met').check();
    await finding(page, '5.1.2-P3', 'partly_met').check();
    for (const ref of ['5.1.2-P1', '5.1.2-P2', '5.1.2-P4']) await finding(page, ref, 'not_met').check();
    await page.locator('input[name="finalRating"][value="promising"]').check();
    await page.getByRole('button', { name: 'Save KLOE', exact: true }).click();
    await page.locator('.govuk-error-summary').waitFor({ timeout: 30_000 });
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Explain why you rate it promising: the suggested rating is uncertain');
    expect(await page.locator('#suggestion').textContent()).toContain(
      'The findings as you submitted them suggest Uncertain',
    );
    expect(await page.locator('label[for="finalRating-3"]').textContent()).toContain('Uncertain (suggested)');
    expect(await page.locator('#progress').textContent()).toContain('12 of 12 statements judged');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'judging-refused-save');

    // Without JavaScript a save returns to the save buttons.
    await page.locator('input[name="finalRating"][value="uncertain"]').check();
    await page.getByRole('button', { name: 'Save KLOE', exact: true }).click();
    await page.waitForURL(/done=saved/, { timeout: 30_000 });
    expect(new URL(page.url()).hash).toBe('#kloe-save');
  });

  it('tells the KLOE’s history in plain words', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}${address}/kloes/5.1.2#history`);
    const history = (await page.locator('.kloe-history').textContent())!.replace(/\s+/g, ' ');
    expect(history).toContain('Morgan Hale changed 5.1.2-P3 from not yet judged to partly met');
    expect(history).toContain('Morgan Hale changed 5.1.2-P1 from met to not met');
    expect(history).toContain('Morgan Hale changed the final rating from not rated to uncertain');
    expect(history).not.toMatch(/partly_met|finalRating|[{}]|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('suggests statements with the passage that matched, accepts several at once, and asks before deleting', async () => {
    const page = await signedInPage(true);
    await page.goto(`${server.url}${address}/evidence`);
    await page.getByLabel('Title', { exact: true }).fill('Procurement interview');
    await page.getByLabel('Kind').selectOption({ label: 'Interview' });
    await page
      .getByLabel('Notes (optional)')
      .fill(
        'The repairs contract was let through a partnering framework with open-book accounting, and the council joined a regional purchasing consortium. The procurement strategy was refreshed last year.',
      );
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/done=added/);
    const suggestions = page.locator('.kloe-suggestion-list > li');
    expect(await suggestions.count()).toBeGreaterThan(1);
    expect(await suggestions.first().textContent()).toContain('Passage that matched');
    expect(await suggestions.first().locator('mark').count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-suggestions');

    const boxes = page.locator('input[name="statementRefs"]');
    const refs = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')];
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'Accept the ticked suggestions' }).click();
    await page.waitForURL(/done=accepted-several/);
    const links = (await page.locator('#link-list').textContent())!;
    for (const ref of refs) expect(links).toContain(ref!);

    await page.getByRole('link', { name: 'Delete this evidence' }).click();
    await page.waitForURL(/\/delete$/);
    expect(await page.locator('h2').first().textContent()).toContain('Delete “Procurement interview”?');
    expect(await page.locator('body').textContent()).toContain('2 links');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(await page.locator('#item-title').textContent()).toContain('Procurement interview');
  });

  it('previews a file in the page with the quoted passage marked, a PDF inline and a Word file as its text', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}${address}/evidence`);
    await page.getByLabel('Title', { exact: true }).fill('Repairs board papers');
    await page.getByLabel('Kind').selectOption({ label: 'Document' });
    await page.getByLabel('Files (optional)').setInputFiles([
      {
        name: 'board-report.pdf',
        mimeType: 'application/pdf',
        buffer: makePdf(
          'Repairs board report\nThe capital programme slipped twice before the contractor was replaced.',
        ),
      },
      {
        name: 'minutes.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: makeDocx('Members asked for quarterly reports on voids and repairs.'),
      },
    ]);
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/done=added/);
    await page.getByLabel('Statement or KLOE').selectOption('4.2-U1');
    await page.getByLabel('Quote or passage (optional)').fill('capital programme slipped twice');
    await page.getByRole('button', { name: 'Add link' }).click();
    await page.waitForURL(/done=linked/);

    // The link's quote (each suggestion's passage has a link of its own too).
    await page.locator('#link-list').getByRole('link', { name: 'Show in board-report.pdf' }).click();
    await page.waitForURL(/\/preview\?quote=/);
    expect(await page.locator('mark#quoted-passage').textContent()).toBe('capital programme slipped twice');
    expect(await page.locator('#passage-status').textContent()).toContain(
      'The quoted passage is marked below (page 1)',
    );
    const frame = page.locator('iframe.kloe-preview-pdf');
    expect(await frame.getAttribute('title')).toBe('board-report.pdf');
    const inline = await page.request.get(new URL((await frame.getAttribute('src'))!, page.url()).href);
    expect(inline.headers()['content-type']).toBe('application/pdf');
    expect(inline.headers()['content-disposition']).toMatch(/^inline;/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'evidence-preview-pdf');

    await page.goBack();
    await page.getByRole('link', { name: 'Preview minutes.docx' }).click();
    expect(await page.locator('iframe').count()).toBe(0);
    expect(await page.locator('.kloe-preview-text').textContent()).toContain('quarterly reports on voids and repairs');
    await screenshot(page, 'evidence-preview-docx');
  });

  it('asks before publishing, saying what will be locked, without JavaScript', async () => {
    const page = await signedInPage(false);
    await page.goto(`${server.url}${address}`);
    await page.getByRole('button', { name: 'Send to moderation' }).click();
    await page.waitForURL(/done=status-moderation/);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL(/\/publish$/);
    const body = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    expect(body).toContain('Publish this revision?');
    expect(body).toContain('nobody can change');
    expect(body).toMatch(/the final ratings of \d+ of 15 KLOEs/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'confirm-publish');
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(new URL(page.url()).pathname).toBe(address);
    expect(await page.locator('.govuk-tag').first().textContent()).toContain('Moderation');
  });
});
