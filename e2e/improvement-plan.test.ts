import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fillDate } from './support/date-input.js';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
/** Room for a slow shared machine: six axe runs and a dozen page loads. Not an assertion about speed. */
const WHOLE_RUN = 240_000;

describe('an improvement plan through the pages without JavaScript, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  /**
   * axe runs as a script in the page, so each page is checked again in a context with JavaScript on: the
   * same address, then the very HTML the JavaScript-free page shows (a form redisplayed with its errors
   * answers a POST, which a second visit could not repeat).
   */
  let axePage: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await contextWithoutServiceWorker(browser, { javaScriptEnabled: false })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('member@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    axePage = await (
      await contextWithoutServiceWorker(browser, { storageState: await page.context().storageState() })
    ).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(what: string) {
    await axePage.goto(page.url());
    await axePage.setContent(await page.content());
    expect(await seriousAccessibilityViolations(axePage), what).toEqual([]);
  }

  it(
    'creates a plan with an aim and an action, each page free of serious axe violations',
    async () => {
      await page.goto(`${server.url}/organisations`);
      await page.getByRole('link', { name: 'Ashdown District Council' }).click();
      await page.getByRole('link', { name: 'Improvement plan of Housing repairs' }).click();
      await page.waitForURL(/\/plan$/);
      // The demo plan: four aims drafted from the 2024 inspection, one action off track.
      expect(await page.locator('.govuk-tag', { hasText: 'Off track' }).count()).toBe(1);
      await expectAccessible('the demo plan');

      await page.getByRole('button', { name: 'Add an aim' }).click();
      await page.getByRole('button', { name: 'Save aim' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the aim');
      await expectAccessible('the aim form with an error');
      await page.getByLabel('Aim', { exact: true }).fill('Repairs done right first time');
      await page.locator('input[name="kloeRefs"][value="5.1.2"]').check();
      await page.getByRole('button', { name: 'Save aim' }).click();
      await page.waitForURL(/done=aim-added/);
      expect(await page.locator('h2', { hasText: 'Aim 5: Repairs done right first time' }).count()).toBe(1);
      await expectAccessible('the plan with an aim');

      await page.getByRole('link', { name: 'Add an action to aim 5' }).click();
      await page.getByLabel('Action', { exact: true }).fill('Survey tenants after every repair');
      await page.getByLabel('Owner').selectOption({ label: 'Morgan Hale' });
      await fillDate(page, 'startDate', '2027-04-01');
      await fillDate(page, 'dueDate', '2027-03-01');
      await page.locator('[name="milestones.0.title"]').fill('Survey live');
      await fillDate(page, 'milestones.0.date', '2027-06-30');
      await page.locator('[name="measures.0.indicatorCode"]').selectOption({ index: 1 });
      await page.locator('[name="measures.0.baseline"]').fill('70');
      await page.locator('[name="measures.0.target"]').fill('85');
      await page.locator('[name="measures.0.targetPeriod"]').fill('2027/28');
      await page.getByRole('button', { name: 'Save action' }).click();
      const summary = await page.locator('.govuk-error-summary').textContent();
      expect(summary).toContain('The due date must be the same as or after the start date');
      expect(await page.getByLabel('Action', { exact: true }).inputValue()).toBe('Survey tenants after every repair');
      await expectAccessible('the action form with errors');

      await fillDate(page, 'dueDate', '2028-03-31');
      await page.getByRole('button', { name: 'Save action' }).click();
      await page.waitForURL(/done=action-added/);
      const card = page.locator('.govuk-summary-card', { hasText: 'Survey tenants after every repair' });
      expect(await card.textContent()).toContain('Morgan Hale');
      await expectAccessible('the plan with an action');
      await screenshot(page, 'improvement-plan');
    },
    WHOLE_RUN,
  );

  it(
    'records progress on an action and sets its status with a reason, the status in words',
    async () => {
      // The on-track action: the off-track one stays as it is for the inspector's monitoring below.
      await page.getByRole('link', { name: /Let a new empty-homes contract/ }).click();
      expect(await page.locator('#status').textContent()).toContain('On track');
      await expectAccessible('the action page');
      await screenshot(page, 'improvement-action');

      // The action page's "Record progress" and "Set the status" are links drawn as buttons (role=button).
      await page.getByRole('button', { name: 'Record progress' }).click();
      await fillDate(page, 'recordedOn', '2999-01-01');
      await page.getByLabel('What progress was made').fill('A second survey is booked');
      await page.getByRole('button', { name: 'Record progress' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('up to today');
      expect(await page.getByLabel('What progress was made').inputValue()).toBe('A second survey is booked');
      await expectAccessible('the progress form with an error');
      await fillDate(page, 'recordedOn', '2026-01-20');
      await page.getByRole('button', { name: 'Record progress' }).click();
      await page.waitForURL(/done=progress-recorded/);

      await page.getByRole('button', { name: 'Set the status' }).click();
      await page.getByLabel('At risk').check();
      await page.getByRole('button', { name: 'Set the status' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Say why the status is at risk');
      await expectAccessible('the status form with an error');
      await page.getByLabel('Reason').fill('The second survey will show the recovery');
      await page.getByRole('button', { name: 'Set the status' }).click();
      await page.waitForURL(/done=status-set/);
      expect(await page.locator('#status').textContent()).toContain('At risk');

      await page.getByRole('link', { name: 'Improvement plan: Housing repairs' }).click();
      await page.getByRole('link', { name: 'Track record of the service' }).click();
      expect(await page.locator('h1').textContent()).toContain('Track record: Housing repairs');
      await expectAccessible('the track record');
      await screenshot(page, 'improvement-track-record');
    },
    WHOLE_RUN,
  );

  it(
    'refuses a plan file upload with the error summary, nothing saved, the page free of serious axe violations',
    async () => {
      await page.goto(`${server.url}/organisations`);
      await page.getByRole('link', { name: 'Ashdown District Council' }).click();
      await page.getByRole('link', { name: 'Improvement plan of Waste collection' }).click();
      await page.getByRole('button', { name: 'Import a plan file' }).click();
      await page.getByLabel('Plan file (JSON)').setInputFiles({
        name: 'plan.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ format: 'kloe-assessment/1', aims: [] })),
      });
      await page.getByRole('button', { name: 'Import' }).click();
      const summary = await page.locator('.govuk-error-summary').textContent();
      expect(summary).toContain('The plan file was not imported: nothing was saved');
      expect(summary).toContain('format:');
      await expectAccessible('the import page with an error');
      await page.getByRole('link', { name: 'Cancel' }).click();
      expect(await page.locator('#quality').locator('xpath=following-sibling::p[1]').textContent()).toContain(
        'There are no aims yet',
      );
    },
    WHOLE_RUN,
  );
});

describe('an inspector follows plans across organisations and sees the track record in KQ4, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await contextWithoutServiceWorker(browser)).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill('lead.inspector@example.org');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'lists the off-track action for monitoring and shows the track record beside KLOE 4.1',
    async () => {
      await page.getByRole('link', { name: 'Plan monitoring' }).click();
      expect(await page.locator('#monitoring').textContent()).toContain('Tenant inspectors check one in twenty');
      expect(await seriousAccessibilityViolations(page), 'the monitoring page').toEqual([]);
      await screenshot(page, 'improvement-monitoring');

      await page.goto(`${server.url}/assessments`);
      await page.getByRole('link', { name: 'Housing repairs inspection 2026' }).click();
      await page.goto(`${page.url().replace(/\/$/, '')}/kloes/4.1`);
      expect(await page.locator('#track-record').textContent()).toContain('Benchmark repair costs');
      expect(await seriousAccessibilityViolations(page), 'KLOE 4.1 with the track record').toEqual([]);
      await screenshot(page, 'improvement-kq4-track-record');
    },
    WHOLE_RUN,
  );
});
