import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  contextWithoutServiceWorker,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { J2_KLOE_REFS } from '../src/testing/kloe-refs.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
const KLOES = J2_KLOE_REFS;

describe('a whole self-assessment through the pages, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;

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

  /** Opens a self-assessment of Ashdown's housing repairs and starts its fieldwork; returns its address. */
  async function openSelfAssessment(page: Page, title: string): Promise<string> {
    await page.goto(`${server.url}/assessments`);
    await page.getByRole('button', { name: 'Open an assessment' }).click();
    await page
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Ashdown District Council — Housing repairs' });
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Open assessment' }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
    const address = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Start fieldwork' }).click();
    await page.waitForURL(/done=/);
    expect(await page.locator('.govuk-tag').first().textContent()).toContain('Fieldwork');
    return address;
  }

  /** Judges one KLOE on its page: every statement met, the final rating as suggested, then on to the next. */
  async function judgeKloe(page: Page, ref: string, options: { axe: boolean }) {
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`/kloes/${ref.replace(/\./g, '\\.')}$`));
    if (options.axe) expect(await seriousAccessibilityViolations(page), `KLOE ${ref}`).toEqual([]);
    for (const radio of await page.locator('input[type="radio"][name^="finding-"][value="met"]').all()) {
      await radio.check();
    }
    await page.locator('input[name="finalRating"][value="promising"]').check();
    const last = ref === KLOES.at(-1);
    await page.getByRole('button', { name: last ? 'Save KLOE' : 'Save and go to next KLOE' }).click();
    await page.waitForURL((url) =>
      last ? url.search.includes('done=saved') : !url.pathname.endsWith(`/kloes/${ref}`),
    );
  }

  async function rateRollUp(page: Page, node: string) {
    const section = page.locator(`#rating-${node}`);
    await section.locator('input[name="finalRating"][value="promising"]').check();
    await section.getByRole('button', { name: 'Save rating' }).click();
    await page.waitForURL(/scorecard/);
  }

  // The two runs judge assessments of their own, so they run side by side.
  for (const javaScriptEnabled of [false, true]) {
    const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
    it.concurrent(`judges all 15 KLOEs and ends in a scorecard, with ${mode}`, async () => {
      const page = await signedInPage(javaScriptEnabled);
      const address = await openSelfAssessment(page, `Repairs self-assessment (${mode})`);
      if (javaScriptEnabled) {
        expect(await seriousAccessibilityViolations(page), 'overview').toEqual([]);
        await screenshot(page, 'assessment-overview');
      }

      await page.goto(`${server.url}${address}/kloes/4.1`);
      // A rating above the suggestion needs a rationale: the error is shown and the findings are kept.
      for (const radio of await page.locator('input[type="radio"][name^="finding-"][value="met"]').all()) {
        await radio.check();
      }
      await page.getByLabel('Strengths').fill('Repairs completed right first time rose to 92%');
      await page.locator('input[name="finalRating"][value="excellent"]').check();
      await page.getByRole('button', { name: 'Save KLOE' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Explain why you rate it excellent');
      expect(await page.locator('input[name^="finding-"][value="met"]:checked').count()).toBe(2);
      expect(await page.getByLabel('Strengths').inputValue()).toBe('Repairs completed right first time rose to 92%');
      if (javaScriptEnabled) await screenshot(page, 'kloe-rationale-required');

      for (const ref of KLOES) {
        if (ref === '5.2.4' && javaScriptEnabled) await screenshot(page, 'kloe-5.2.4-workspace');
        await judgeKloe(page, ref, { axe: javaScriptEnabled });
      }

      await page.goto(`${server.url}${address}/scorecard`);
      for (const node of ['4', '5', '6', 'overall']) await rateRollUp(page, node);
      const scorecard = page.locator('main table').first();
      for (const ref of KLOES) {
        const row = scorecard.locator('tr', { has: page.getByRole('link', { name: ref, exact: true }) });
        expect(await row.textContent(), `KLOE ${ref}`).toMatch(/Promising\s*\(final\)/);
      }
      expect(await scorecard.locator('tr.kloe-scorecard__overall').textContent()).toMatch(/Promising\s*\(final\)/);
      const main = await page.locator('main').textContent();
      expect(main).toContain('Every statement has been judged.');
      expect(main).not.toContain('Without a final rating');
      if (javaScriptEnabled) {
        expect(await seriousAccessibilityViolations(page), 'scorecard').toEqual([]);
        await screenshot(page, 'scorecard-complete');
        for (const tab of ['moderation', 'compare']) {
          await page.goto(`${server.url}${address}/${tab}`);
          expect(await seriousAccessibilityViolations(page), tab).toEqual([]);
        }
        await page.goto(`${server.url}/assessments`);
        expect(await seriousAccessibilityViolations(page), 'list').toEqual([]);
        await page.goto(`${server.url}/assessments/new`);
        expect(await seriousAccessibilityViolations(page), 'new').toEqual([]);
      }
    });
  }
});
