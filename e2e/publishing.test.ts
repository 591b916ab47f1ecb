/**
 * Around publishing, in chromium (issue 23 items 5, 7 and 8): an administrator sets the inspectorate's name and
 * logo, which the report page then shows; the factual accuracy round trip without JavaScript
 * (the lead sends the draft, a member of the organisation comments, publishing is refused, the lead answers
 * and publishes with a reason), then the public report signed out: its page, index and downloads pass axe;
 * a draft, an evidence file and a withdrawn report answer 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { fillDate } from './support/date-input.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
/** What the tests read of an <img> in the page (the DOM's types are not in this project's lib). */
type Picture = { complete: boolean; naturalWidth: number; naturalHeight: number };
const STEP = 240_000;
const today = () => new Date().toISOString().slice(0, 10);

describe('factual accuracy and public reports, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let lead: Page;
  let member: Page;
  let base: string;
  let selfAssessment: string;

  async function signedIn(email: string) {
    const page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled: false })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  beforeAll(async () => {
    // A server of its own (any setting gives one): this file publishes the demo inspection, which the other
    // files expect to find in moderation.
    [server, browser] = await Promise.all([startServer({ LOG_LEVEL: 'warn' }), launchBrowser()]);
    [lead, member] = [await signedIn('lead.inspector@example.org'), await signedIn('member@example.org')];
    await lead.goto(`${server.url}/assessments`);
    await lead.getByRole('link', { name: 'Housing repairs inspection 2026' }).click();
    await lead.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    base = new URL(lead.url()).pathname;
    await member.goto(`${server.url}/assessments`);
    await member
      .getByRole('link', { name: /self-assessment/i })
      .first()
      .click();
    selfAssessment = new URL(member.url()).pathname.split('/')[2]!;
  }, STEP);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'an administrator uploads a logo (an SVG is refused) and the report shows the name and logo; axe passes',
    async () => {
      const admin = await signedIn('admin@example.org');
      await admin.goto(`${server.url}/report-templates`);
      await admin.getByRole('link', { name: 'Report branding' }).click();
      await admin.waitForURL(/\/admin\/branding$/);
      expect(await seriousAccessibilityViolations(admin)).toEqual([]);

      await admin.getByLabel('Inspectorate’s name').fill('Audit Commission');
      await admin.getByLabel('Logo (optional)').setInputFiles({
        name: 'logo.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      });
      await admin.getByRole('button', { name: 'Save branding' }).click();
      expect(await admin.locator('.govuk-error-summary').textContent()).toContain('SVG files are not accepted');
      expect(await admin.getByLabel('Inspectorate’s name').inputValue()).toBe('Audit Commission');
      expect(await seriousAccessibilityViolations(admin)).toEqual([]);

      const logo = await sharp({ create: { width: 900, height: 300, channels: 3, background: '#1d70b8' } })
        .jpeg()
        .toBuffer();
      await admin
        .getByLabel('Logo (optional)')
        .setInputFiles({ name: 'logo.jpg', mimeType: 'image/jpeg', buffer: logo });
      await admin.getByRole('button', { name: 'Save branding' }).click();
      await admin.waitForURL(/done=saved/);
      const preview = admin.locator('#branding-preview img');
      expect(await preview.evaluate((img) => [(img as Picture).naturalWidth, (img as Picture).naturalHeight])).toEqual([
        600, 200,
      ]);
      expect(await seriousAccessibilityViolations(admin)).toEqual([]);
      await screenshot(admin, 'publishing-branding');

      await lead.goto(`${server.url}${base}/report`);
      const brand = lead.locator('.kloe-report__brand');
      expect(await brand.textContent()).toContain('Audit Commission');
      const shown = brand.getByRole('img', { name: 'Audit Commission logo' });
      expect(await shown.evaluate((img) => (img as Picture).complete && (img as Picture).naturalWidth)).toBe(600);
      expect(await seriousAccessibilityViolations(lead)).toEqual([]);
      await screenshot(lead, 'publishing-branded-report');
    },
    STEP,
  );

  it(
    'round trip: the lead sends the draft, a member comments, the lead answers, publishing is then allowed',
    async () => {
      // Moderation's open challenge would also stop publishing: the lead resolves it first.
      await lead.goto(`${server.url}${base}/moderation`);
      await lead.getByLabel('Keep the rating').check();
      await lead.getByLabel('Reason').fill('The survey is after the period inspected.');
      await lead.getByRole('button', { name: 'Resolve challenge' }).click();
      await lead.waitForURL(/moderation/);

      await lead.goto(`${server.url}${base}/factual-accuracy`);
      expect(await seriousAccessibilityViolations(lead)).toEqual([]);
      await screenshot(lead, 'publishing-accuracy-send');
      await fillDate(lead, 'deadline', today());
      await lead.getByLabel('Message to the organisation (optional)').fill('Please check the dates and figures.');
      await lead.getByRole('button', { name: 'Send the draft report' }).click();
      await lead.waitForURL(/done=sent/);
      expect(await lead.locator('#check-status').textContent()).toContain('may comment until the end of');

      // The member is told, and follows the notification.
      await member.goto(`${server.url}/notifications`);
      await member
        .getByRole('button', { name: /ready for your factual accuracy comments/ })
        .first()
        .click();
      await member.waitForURL(/factual-accuracy/);
      await member.getByRole('button', { name: 'Send comment' }).click();
      expect(await member.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true);
      await member.getByLabel('Section').selectOption('4.1');
      await member
        .getByLabel('What is not accurate, and what is')
        .fill('The repairs plan was adopted in March, not May.');
      await member.getByRole('button', { name: 'Send comment' }).click();
      await member.waitForURL(/done=commented/);
      expect(await member.locator('main').textContent()).toContain('The repairs plan was adopted in March, not May.');

      // Publishing is refused while the comment is unanswered.
      await lead.goto(`${server.url}${base}/publish`);
      expect(await lead.locator('#publish-blockers').textContent()).toContain(
        '1 factual accuracy comment is not answered',
      );
      await lead.getByRole('button', { name: 'Publish and lock this revision' }).click();
      expect(await lead.getByRole('heading', { name: 'There is a problem' }).isVisible()).toBe(true);
      expect(await lead.locator('.govuk-error-summary').textContent()).toContain(
        'record why it should be published now',
      );

      // The lead answers; the member sees the answer.
      await lead.goto(`${server.url}${base}/factual-accuracy`);
      await lead.getByRole('radio', { name: 'Changed' }).check();
      await lead.getByLabel('What changed, or why it is not accepted').fill('Corrected to March.');
      await lead.getByRole('button', { name: 'Save answer' }).click();
      await lead.waitForURL(/done=answered/);
      await member.reload();
      expect(await member.locator('main').textContent()).toContain('Corrected to March.');

      // The deadline is today: publishing now needs the lead's reason, and then goes ahead.
      await lead.goto(`${server.url}${base}/publish`);
      expect(await lead.locator('#publish-blockers').textContent()).not.toContain('not answered');
      await lead.getByLabel('Why publish now?').fill('The organisation confirmed it has no more comments.');
      await lead.getByRole('button', { name: 'Publish and lock this revision' }).click();
      await lead.waitForURL(/done=status-published/);
      await lead.goto(`${server.url}${base}/factual-accuracy`);
      expect(await lead.locator('main').textContent()).toContain(
        'Published before the check was complete because: The organisation confirmed it has no more comments.',
      );
      await screenshot(lead, 'publishing-factual-accuracy');
    },
    STEP,
  );

  it(
    'public report signed out: page, index, downloads; axe passes; a draft, an evidence file and a withdrawn report are 404',
    async () => {
      const id = base.split('/')[2]!;
      await lead.goto(`${server.url}${base}/public`);
      await lead.getByRole('button', { name: 'Make the report public' }).click();
      await lead.waitForURL(/done=public/);

      const context = await contextWithoutServiceWorker(browser);
      const visitor = await context.newPage();
      await visitor.goto(`${server.url}/public/reports`);
      expect(await seriousAccessibilityViolations(visitor)).toEqual([]);
      await visitor.getByLabel('Organisation').fill('Ashdown');
      await visitor.getByRole('button', { name: 'Search' }).click();
      await visitor.getByRole('link', { name: 'Housing repairs inspection 2026' }).click();
      await visitor.waitForURL(new RegExp(`/public/reports/${id}$`));
      expect(await visitor.locator('#ratings-list').textContent()).toMatch(/Overall\s+\S+/);
      expect(await visitor.locator('main').textContent()).toContain('Lead inspector:');
      expect(await visitor.getByRole('img', { name: 'Audit Commission logo' }).isVisible()).toBe(true);
      expect(await visitor.locator('#audit-anchor').textContent()).toMatch(/Audit trail anchor: \d+:[0-9a-f]{64}/);
      expect(await seriousAccessibilityViolations(visitor)).toEqual([]);
      await screenshot(visitor, 'publishing-public-report');

      const pdf = await visitor.request.get(`${server.url}/public/reports/${id}/report.pdf`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      const html = await visitor.request.get(`${server.url}/public/reports/${id}/report.html`);
      expect(html.headers()['content-type']).toBe('text/html; charset=utf-8');
      const text = await html.text();
      expect(text).toContain('Summary judgement');
      expect(text).not.toContain('Appendix: evidence');

      const csv = await visitor.request.get(`${server.url}/public/ratings.csv`);
      expect((await csv.text()).split('\r\n')[0]).toContain('report_id,organisation_code,organisation_name');

      // A draft, an evidence file, and (below) a withdrawn report: 404.
      expect((await visitor.goto(`${server.url}/public/reports/${selfAssessment}`))!.status()).toBe(404);
      // An evidence file's address (the demo inspection's items have no files): nothing under /public serves it,
      // and signed out the app's own address sends to sign-in.
      const fileLink = `${base}/evidence/${crypto.randomUUID()}/files/${crypto.randomUUID()}`;
      expect((await visitor.goto(`${server.url}/public/reports/${id}${fileLink.replace(base, '')}`))!.status()).toBe(
        404,
      );
      const signedOutFile = await visitor.request.get(`${server.url}${fileLink}`, { maxRedirects: 0 });
      expect(signedOutFile.status()).toBe(302);

      await lead.goto(`${server.url}${base}/public`);
      await lead.getByLabel('Why is it withdrawn?').fill('A corrected report will follow.');
      await lead.getByRole('button', { name: 'Withdraw the public report' }).click();
      await lead.waitForURL(/done=withdrawn/);
      const withdrawn = await visitor.goto(`${server.url}/public/reports/${id}`);
      expect(withdrawn!.status()).toBe(404);
      expect(await visitor.locator('#withdrawal-notice').textContent()).toContain('A corrected report will follow.');
      expect(await seriousAccessibilityViolations(visitor)).toEqual([]);
      expect((await visitor.request.get(`${server.url}/public/reports/${id}/report.pdf`)).status()).toBe(404);
      await context.close();
    },
    STEP,
  );
});
