/**
 * kloe on a phone (375 × 812, touch): no page scrolls sideways at 375 or 320 px, the KLOE page shows one
 * statement at a time, a photo taken as evidence loses its location and camera details, and the work done
 * offline arrives when the network returns, a conflicting save showing both versions.
 */
import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { evidenceFilePath } from '../src/modules/evidence/evidence-storage.js';
import { artefactsDir, launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser.js';
import { pageKind, walkPages } from './support/page-walk.js';
import { startServer, type RunningServer } from './support/server.js';

const DEMO_PASSWORD = 'kloe-demo-2026';
const PHONE = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true };
// A limit for a hang: the administrator's walk took 357 s in a run where every test ran at half its usual speed.
const WALK = 720_000;

/** A phone's photo: a JPEG with the camera's make and model and where it was taken. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 90, channels: 3, background: '#5a8' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Testphone', Model: 'TP-1 Field' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 26/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 39/1' },
    })
    .toBuffer();
}

/** How far the page is wider than the screen (0 when it does not scroll sideways). */
const overflow = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** Where the page's service worker is: "controlling" once it controls the page, or how far it got. */
const workerState = (page: Page) =>
  page.evaluate<string>(`navigator.serviceWorker.getRegistration().then((r) =>
  navigator.serviceWorker.controller ? 'controlling'
  : !r ? 'not registered'
  : r.installing ? 'installing' : r.waiting ? 'installed, waiting' : r.active ? 'active: ' + r.active.state : 'registered')`);

/**
 * Waits until a service worker controls the page, within the tier's poll limit (vitest.config.ts): installing
 * it fetches eleven files, which a loaded machine can take many seconds to serve. A failure says how far the worker
 * got. A poll of page.evaluate, not page.waitForFunction: that one evaluates its predicate with eval in the page,
 * which the page's Content-Security-Policy refuses.
 */
const controlled = (page: Page) => expect.poll(() => workerState(page), { interval: 250 }).toBe('controlling');

describe('kloe on a phone, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(email: string, options: { javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext({ ...PHONE, ...options });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).tap();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return { context, page };
  }

  /**
   * Every kind of page a person reaches, each at 375 and at 320 px: the pages wider than the screen, and axe's
   * serious findings at 375 px on the pages `axeOn` matches. The pages walked and the widths measured are kept in
   * test-results/phone-walk-<person>-<with|without>-js.txt.
   */
  async function walkAtBothWidths(email: string, javaScriptEnabled: boolean, axeOn?: RegExp) {
    const { context, page } = await signedIn(email, { javaScriptEnabled });
    const wide: string[] = [];
    const axe: string[] = [];
    const measured: string[] = [];
    const visited = await walkPages(page, server.url, ['/'], 100, async (where) => {
      // 320 first, so the page ends at the phone's own width (375) for axe and the next page: a resize costs a layout.
      for (const width of [320, PHONE.viewport.width]) {
        await page.setViewportSize({ width, height: PHONE.viewport.height });
        const extra = await overflow(page);
        measured.push(`${where} at ${width} px: ${extra} px too wide`);
        if (extra > 0) wide.push(`${where} at ${width} px: ${extra} px too wide`);
      }
      if (axeOn?.test(where)) axe.push(...(await seriousAccessibilityViolations(page)).map((v) => `${where}: ${v}`));
    });
    const file = `phone-walk-${email.split('@')[0]}-${javaScriptEnabled ? 'with' : 'without'}-js.txt`;
    fs.mkdirSync(artefactsDir, { recursive: true });
    fs.writeFileSync(path.join(artefactsDir, file), `${measured.join('\n')}\n`);
    await context.close();
    return { kinds: visited.map(pageKind), wide, axe };
  }

  // axe on the pages with the widest tables, the KLOE page and the pages of team work, plans and webhooks.
  const AXE_ON = new RegExp(
    [
      '^/(assessments|admin/audit|admin/webhooks|indicators|organisations|notifications|plans/monitoring)?$',
      '^/admin/webhooks/[0-9a-f-]+$',
      '/(scorecard|kloes/[\\d.]+|comments|compare|coverage|assignments|plan|track-record)$',
    ].join('|'),
  );

  /** Who walks, and the kinds of page each must reach: the start page is "my work". */
  const PEOPLE: Record<string, string[]> = {
    'admin@example.org': [
      '/',
      '/notifications',
      '/admin/users/:id',
      '/admin/audit',
      '/admin/webhooks',
      '/admin/webhooks/:id',
      '/plans/monitoring',
      '/assessments/:id/kloes/:ref',
      '/organisations/:id/services/:id/plan',
    ],
    'inspector@example.org': [
      '/',
      '/notifications',
      '/assessments/:id/scorecard',
      '/assessments/:id/assignments',
      '/assessments/:id/kloes/:ref',
      '/assessments/:id/kloes/:ref/comments',
      '/assessments/:id/compare',
      '/organisations/:id/services/:id/plan',
      '/organisations/:id/services/:id/track-record',
      '/plans/monitoring',
    ],
    'member@example.org': [
      '/',
      '/notifications',
      '/assessments/:id/kloes/:ref',
      '/assessments/:id/kloes/:ref/comments',
      '/assessments/:id/evidence/:id',
      '/organisations/:id/services/:id/plan',
      '/organisations/:id/services/:id/plan/aims/:id/actions/:id',
    ],
  };

  /** A webhook, for the admin's walk to reach its page: subscribed to publishing only, which no test here does. */
  async function registerWebhook() {
    const { context, page } = await signedIn('admin@example.org');
    await page.goto(`${server.url}/admin/webhooks`);
    await page.getByLabel('Address').fill('http://127.0.0.1:9/kloe-phone-walk');
    await page.getByLabel('assessment.published: An assessment was published').check();
    await page.getByRole('button', { name: 'Register webhook' }).tap();
    await page.waitForURL(/\/admin\/webhooks\/[0-9a-f-]+\?done=created$/);
    return {
      async remove() {
        await page.getByRole('button', { name: 'Remove webhook' }).tap();
        await page.waitForURL(/\/admin\/webhooks\?done=deleted$/);
        await context.close();
      },
    };
  }

  let webhook: Awaited<ReturnType<typeof registerWebhook>> | undefined;
  beforeAll(async () => {
    webhook = await registerWebhook();
  });
  afterAll(() => webhook?.remove());

  // The walks are the file's long part and mostly wait on the server and chromium: they run side by side.
  for (const [email, reaches] of Object.entries(PEOPLE)) {
    it.concurrent(
      `shows every page ${email} reaches at 375 and 320 px without sideways scrolling, axe finding nothing serious`,
      async () => {
        const { kinds, wide, axe } = await walkAtBothWidths(email, true, AXE_ON);
        expect(kinds).toEqual(expect.arrayContaining(reaches));
        expect(wide).toEqual([]);
        expect(axe).toEqual([]);
      },
      WALK,
    );

    it.concurrent(
      `without JavaScript too, no page ${email} reaches scrolls sideways: tables are summaries with their header row as the key`,
      async () => {
        const { kinds, wide } = await walkAtBothWidths(email, false);
        expect(kinds).toEqual(expect.arrayContaining(reaches));
        expect(wide).toEqual([]);
      },
      WALK,
    );
  }

  /** A new self-assessment of Ashdown's housing repairs in fieldwork; its address. */
  async function newSelfAssessment(page: Page, title: string): Promise<string> {
    await page.goto(`${server.url}/assessments/new`);
    await page
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Ashdown District Council — Housing repairs' });
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Open assessment' }).tap();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
    const address = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Start fieldwork' }).tap();
    // Not just done=: the page opened at ?done=created, and going on before the start arrives aborts one of them.
    await page.waitForURL(/done=status-fieldwork/);
    return address;
  }

  it('shows the KLOE page one statement at a time, with the save in reach, and takes a photo as evidence', async () => {
    const { context, page } = await signedIn('member@example.org');
    const address = await newSelfAssessment(page, 'Repairs on a phone: photo');
    await page.goto(`${server.url}${address}/kloes/4.1`);
    expect(await overflow(page)).toBe(0);

    // One statement at a time, within the first two screens: the KLOE list and the track record's tables
    // do not come before it.
    const shown = page.locator('li.kloe-finding:visible');
    expect(await shown.count()).toBe(1);
    expect(await page.locator('#statement-stepper [role="status"]').textContent()).toContain('Statement 1 of 2');
    expect((await shown.boundingBox())!.y).toBeLessThan(2 * 812);
    // The save stays on screen while the statement's finding and note are worked on.
    const save = page.getByRole('button', { name: 'Save KLOE', exact: true });
    const saveOnScreen = async () => {
      const box = (await save.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= 812;
    };
    await shown.locator('input[name="finding-4.1-P1"]').first().scrollIntoViewIfNeeded();
    expect(await saveOnScreen()).toBe(true);
    await page.getByRole('button', { name: 'Next statement' }).tap();
    expect(await shown.getAttribute('id')).toBe('statement-4.1-U1');
    expect(await page.locator('#statement-stepper [role="status"]').textContent()).toContain('Statement 2 of 2');
    await shown.getByLabel('Note on 4.1-U1 (optional)').scrollIntoViewIfNeeded();
    expect(await saveOnScreen()).toBe(true);
    expect(await seriousAccessibilityViolations(page), 'KLOE page, one statement').toEqual([]);

    // The photo panel is under the statement in view, set to it, and opens the camera.
    const photo = shown.locator('input[type="file"][name="photo"]');
    expect(await photo.getAttribute('capture')).toBe('environment');
    expect(await photo.getAttribute('accept')).toBe('image/*');
    expect(await shown.locator('select[name="statementRef"]').inputValue()).toBe('4.1-U1');
    await screenshot(page, 'phone-kloe-statement');
    await photo.setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() });
    await shown.getByLabel('Note (optional)').fill('Stairwell, block C: repaired handrail');
    await shown.getByRole('button', { name: 'Add photo' }).tap();
    await page.waitForURL(/done=photo-added/);
    expect(await page.locator('#photo-added').textContent()).toContain('Photo added as evidence.');
    // Back at the statement the photo is evidence of.
    expect(await page.locator('li.kloe-finding:visible').getAttribute('id')).toBe('statement-4.1-U1');
    const link = page.locator('li#statement-4\\.1-U1 a', { hasText: 'Photo for 4.1-U1' });
    await link.tap();
    await page.waitForURL(/\/evidence\/[0-9a-f-]{36}/);
    expect(await page.locator('main').textContent()).toContain('Stairwell, block C: repaired handrail');
    expect(await overflow(page)).toBe(0);

    // The file kept on the server: the picture, without its EXIF (no position, no camera).
    const sha256 = (await page.locator('code.kloe-hash').first().textContent())!.trim();
    const stored = fs.readFileSync(evidenceFilePath(path.join(server.dataDir, 'evidence'), sha256));
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(await exifr.parse(stored, { gps: true })).toBeUndefined();
    expect(stored.includes(Buffer.from('Testphone'))).toBe(false);
    await context.close();
  });

  /** Waits until the service worker controls the page and has kept the page at `path`. */
  async function keptOffline(page: Page, paths: string[]) {
    await controlled(page);
    const allKept = `(async () => {
      for (const p of ${JSON.stringify(paths)}) if (!(await caches.match(p, { ignoreVary: true }))) return false;
      return true;
    })()`;
    await expect.poll(() => page.evaluate<boolean>(allKept), { timeout: 30_000, interval: 500 }).toBe(true);
  }

  async function kloeVersion(context: BrowserContext, url: string) {
    const page = await context.newPage();
    await page.goto(url);
    const version = await page.locator('#version').inputValue();
    await page.close();
    return version;
  }

  it(
    'keeps findings, notes and a photo made offline, sends them when back online, and shows both versions of a conflict',
    async () => {
      const { context, page } = await signedIn('member@example.org');
      const address = await newSelfAssessment(page, 'Repairs on a phone: offline');
      const kloe41 = `${address}/kloes/4.1`;
      const kloe42 = `${address}/kloes/4.2`;
      await page.goto(`${server.url}${kloe41}`);
      await keptOffline(page, [kloe41, kloe42]);

      await context.setOffline(true);
      // 4.1: a finding on each statement and a note, saved while offline.
      await page.locator('input[name="finding-4.1-P1"][value="met"]').tap();
      await page.getByLabel('Note on 4.1-P1 (optional)').fill('Seen on the estate walk-about');
      await page.getByRole('button', { name: 'Next statement' }).tap();
      await page.locator('input[name="finding-4.1-U1"][value="partly_met"]').tap();
      await page.getByRole('button', { name: 'Save KLOE', exact: true }).tap();
      const outbox = page.locator('#kloe-outbox');
      await expect.poll(() => outbox.textContent()).toContain('1 save is kept on this device');
      // A photo of the statement in view, offline too.
      const shown = page.locator('li.kloe-finding:visible');
      await shown
        .locator('input[name="photo"]')
        .setInputFiles({ name: 'IMG_0050.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() });
      await shown.getByLabel('Note (optional)').fill('Damp patch, flat 12');
      await shown.getByRole('button', { name: 'Add photo' }).tap();
      await expect.poll(() => outbox.textContent()).toContain('2 saves are kept on this device');
      await screenshot(page, 'phone-offline-kept');

      // 4.2, opened offline from what the device kept, judged on the version it was read at.
      await page.goto(`${server.url}${kloe42}`);
      expect(await page.locator('h2', { hasText: '4.2' }).count()).toBeGreaterThan(0);
      const versionRead = await page.locator('#version').inputValue();
      await page.locator('input[name="finding-4.2-P1"][value="not_met"]').tap();
      await page.getByLabel('Note on 4.2-P1 (optional)').fill('Mine: no evidence of outcomes');
      await page.getByRole('button', { name: 'Save KLOE', exact: true }).tap();
      await expect.poll(() => page.locator('#kloe-outbox').textContent()).toContain('3 saves are kept');

      // Meanwhile, online elsewhere, the same KLOE is saved first.
      const other = await signedIn('member@example.org');
      await other.page.goto(`${server.url}${kloe42}`);
      await other.page.locator('input[name="finding-4.2-P1"][value="met"]').check();
      await other.page.getByLabel('Note on 4.2-P1 (optional)').fill('Theirs: outcomes improved');
      await other.page.getByRole('button', { name: 'Save KLOE', exact: true }).tap();
      await other.page.waitForURL(/done=saved/);
      expect(await kloeVersion(other.context, `${server.url}${kloe42}`)).not.toBe(versionRead);

      // Back online: the saves go, oldest first; 4.2's, made on the old version, shows both versions.
      await context.setOffline(false);
      await page.waitForSelector('#conflict', { timeout: 30_000 });
      const conflict = await page.locator('#conflict').textContent();
      expect(conflict).toContain('Their version');
      expect(conflict).toContain('Theirs: outcomes improved');
      expect(await page.getByLabel('Note on 4.2-P1 (optional)').inputValue()).toBe('Mine: no evidence of outcomes');
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('here is their version');
      expect(await seriousAccessibilityViolations(page), 'conflict after reconnecting').toEqual([]);
      await screenshot(page, 'phone-offline-conflict');

      // 4.1's findings and note arrived, at the version they were made on; so did the photo.
      const check = await other.context.newPage();
      await check.goto(`${server.url}${kloe41}`);
      expect(await check.locator('input[name="finding-4.1-P1"][value="met"]').isChecked()).toBe(true);
      expect(await check.locator('input[name="finding-4.1-U1"][value="partly_met"]').isChecked()).toBe(true);
      expect(await check.getByLabel('Note on 4.1-P1 (optional)').inputValue()).toBe('Seen on the estate walk-about');
      expect(await check.locator('li#statement-4\\.1-U1').textContent()).toContain('Photo for 4.1-U1');
      await other.context.close();
      await context.close();
    },
    WALK,
  );

  it('is installable: a web app manifest with icons, and a service worker', async () => {
    const { context, page } = await signedIn('member@example.org');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await page.request.get(`${server.url}${href}`)).json()) as {
      display: string;
      start_url: string;
      icons: { src: string; sizes: string }[];
    };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/assessments' });
    for (const icon of manifest.icons.filter((i) => i.sizes !== 'any')) {
      const png = await page.request.get(`${server.url}${icon.src}`);
      expect(png.status(), icon.src).toBe(200);
      expect((await sharp(await png.body()).metadata()).width).toBe(Number(icon.sizes.split('x')[0]));
    }
    // The worker installs from the first pages. It takes over the page it was installed from only when its claim
    // comes before that page has loaded; every page opened once it is active goes through it.
    await expect.poll(() => workerState(page), { interval: 250 }).toMatch(/^(controlling|active: activated)$/);
    await page.reload();
    await controlled(page);
    await context.close();
  });
});
