/**
 * Debian's chromium (test-chromium.ts) driven by playwright-core: no browser download, flags that keep it off the
 * network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_CHROMIUM } from '../../src/testing/test-chromium.js';

export const artefactsDir = path.resolve('test-results');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(TEST_CHROMIUM))
    throw new Error(`No chromium at ${TEST_CHROMIUM}: install Debian's chromium-headless-shell or chromium package`);
  return chromium.launch({
    executablePath: TEST_CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser context with kloe's service worker blocked, for the tests of pages at a desk and for axe's copies of
 * pages. The worker keeps a copy of every page and asset a phone opens, for fieldwork offline; the phone tier tests
 * it (e2e/phone.test.ts walks every kind of page through it, and takes pages offline). Elsewhere it would only add
 * its work to each page: installing it fetches and stores eleven files in each new context, and each page then
 * passes through it and is stored again; on 40 demo pages chromium took about 40 % less CPU with it blocked.
 */
export function contextWithoutServiceWorker(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({ serviceWorkers: 'block', ...options });
}

/**
 * Serious and critical axe violations on the page, as "rule: target" lines (empty when none).
 * axe is a script that waits on the page's timers, so on a page opened with JavaScript off it never finishes:
 * such a page is checked as a copy, served at its own address to a page with JavaScript on, its scripts
 * left out so that the copy stays the page as it is without JavaScript.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // GOV.UK's template marks the body js-enabled from an inline script: absent, no script runs in the page.
  const scripted = (await page.locator('body.js-enabled').count()) > 0;
  if (scripted) return violationsOf(page);
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const context = await contextWithoutServiceWorker(page.context().browser()!, { javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    const address = new URL(page.url());
    address.hash = '';
    if (address.protocol === 'about:') {
      // Content set straight into a page (a downloaded report) has no address to serve the copy at.
      await copy.setContent(html);
    } else {
      await copy.route(
        (url) => url.href.split('#')[0] === address.href,
        (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }),
      );
      await copy.goto(address.href);
    }
    return await violationsOf(copy);
  } finally {
    await context.close();
  }
}

/**
 * axe's findings on the page. Legacy mode runs axe in the page itself; the default runs it in each frame and
 * then again in a blank page it opens to merge the frames' results, which doubles the time of a check. What
 * only the default reaches are frames from another origin, and kloe frames only its own (a PDF's preview).
 */
async function violationsOf(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .setLegacyMode(true)
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/**
 * The same for a page of a context without JavaScript, where axe (a script run in the page) would wait for
 * ever: a copy is checked in a context of its own with JavaScript on and the same cookies, at the same
 * address and with the very HTML the page shows (a form redisplayed with its errors answers a POST, which a
 * second visit could not repeat).
 */
export async function seriousAccessibilityViolationsWithoutScripts(page: Page): Promise<string[]> {
  const context = await contextWithoutServiceWorker(page.context().browser()!, {
    storageState: await page.context().storageState(),
  });
  try {
    const copy = await context.newPage();
    await copy.goto(page.url());
    await copy.setContent(await page.content());
    return await seriousAccessibilityViolations(copy);
  } finally {
    await context.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artefactsDir, { recursive: true });
  const file = path.join(artefactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
