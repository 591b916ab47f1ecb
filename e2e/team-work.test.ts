import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { openSharedTeamInspection, signInAs } from './support/team-inspection.js';

const INSPECTION = 'Housing repairs inspection 2026';
const SELF_ASSESSMENT = 'Housing repairs self-assessment 2026';
/** This file's own inspection: unique, so that a second run on the same server finds only its own. */
const TEAM_INSPECTION = `Team work check ${Date.now().toString(36)}`;

/**
 * The team's work through the pages: my work, assigning a KLOE (GOV.UK date input), review and reopening,
 * comments with a mention, notifications in the header and on their page, and the comparison with a chosen
 * inspection and its CSV. The emails are checked on a real SMTP server in notifications.int.test.ts.
 */
describe('team work in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  let inspection = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (email: string) => signInAs(browser, server.url, email);

  async function accessible(page: Page, name: string) {
    await screenshot(page, `team-work-${name}`);
    expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  }

  async function openAssessment(page: Page, title: string) {
    await page.goto(`${server.url}/assessments`);
    await page.getByRole('link', { name: title }).first().click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    return new URL(page.url()).pathname;
  }

  /** The header's unread count (0 when the header shows none). */
  async function unread(page: Page): Promise<number> {
    const count = page.locator('#unread-count');
    return (await count.count()) === 0 ? 0 : Number.parseInt((await count.textContent())!, 10);
  }

  it('shows the lead their work, and lets them assign a KLOE of their own inspection with a due date', async () => {
    const lead = (pages.lead = await signIn('lead.inspector@example.org'));
    await lead.goto(server.url);
    await expect(lead.getByRole('heading', { name: 'My work', level: 1 }).isVisible()).resolves.toBe(true);
    expect(await lead.locator('#challenges + ul').textContent()).toContain(INSPECTION);
    await accessible(lead, 'my-work');

    inspection = await openSharedTeamInspection(lead, server.url, TEAM_INSPECTION);
    expect(await lead.locator('#kloe-board').textContent()).toContain('Drafting');

    await lead.getByRole('link', { name: 'Assignments', exact: true }).click();
    await lead.waitForURL(/\/assignments$/);
    await accessible(lead, 'assignments');
    await lead.getByRole('link', { name: 'Assign KLOE 4.1', exact: true }).click();
    await lead.getByLabel('Who drafts it').selectOption({ label: 'Ian Fletcher' });
    await lead.getByLabel('Day').fill('31');
    await lead.getByLabel('Month').fill('2');
    await lead.getByLabel('Year').fill('2027');
    await lead.getByRole('button', { name: 'Save assignment' }).click();
    expect(await lead.locator('.govuk-error-summary').textContent()).toContain('The due date must be a real date');
    expect(await lead.getByLabel('Day').inputValue()).toBe('31');
    await accessible(lead, 'assignment-form-error');
    await lead.getByLabel('Day').fill('28');
    await lead.getByRole('button', { name: 'Save assignment' }).click();
    await lead.waitForURL(/done=assigned/);
    expect(await lead.locator('#kloe-4\\.1').textContent()).toMatch(/Ian Fletcher[\s\S]*28 February 2027/);
  });

  it('tells the holder in the header and on their work, and lets them comment with a mention and mark the KLOE ready', async () => {
    const holder = (pages.holder = await signIn('inspector@example.org'));
    await holder.goto(server.url);
    expect(await holder.locator('#assigned + table').textContent()).toMatch(
      new RegExp(`KLOE 4\\.1\\s+${TEAM_INSPECTION}[\\s\\S]*28 February 2027`),
    );
    const before = await unread(holder);
    expect(before).toBeGreaterThan(0);
    await holder.getByRole('link', { name: /Notifications/ }).click();
    await holder.waitForURL(/\/notifications$/);
    await accessible(holder, 'notifications');
    await holder
      .getByRole('button', {
        name: `Open notification: Leila Brandt assigned you KLOE 4.1 of ${TEAM_INSPECTION}, due 28 February 2027.`,
      })
      .click();
    await holder.waitForURL(/\/kloes\/4\.1$/);
    expect(await unread(holder)).toBe(before - 1);
    expect(await holder.locator('#kloe-review').textContent()).toMatch(/Drafting[\s\S]*held by[\s\S]*Ian Fletcher/);

    await holder.getByRole('link', { name: 'Comment or reply on KLOE 4.1' }).click();
    await holder.getByRole('button', { name: 'Post comment' }).click();
    expect(await holder.locator('.govuk-error-summary').textContent()).toContain('Write a comment');
    await holder.getByLabel('About').selectOption('4.1-U1');
    await holder.getByLabel('Team only').check();
    await holder
      .getByLabel('Comment', { exact: true })
      .fill('The capital programme slipped twice: is this really uncertain?');
    await holder.locator('#new-thread ~ form').getByLabel('Leila Brandt').check();
    await holder.getByRole('button', { name: 'Post comment' }).click();
    await holder.waitForURL(/#thread-/);
    const thread = holder.locator('.kloe-comment-thread').first();
    expect(await thread.textContent()).toMatch(/4\.1-U1[\s\S]*Team only[\s\S]*capital programme slipped twice/);
    await accessible(holder, 'comments');

    // A resolved thread folds away under "1 resolved thread" (opened here only because the address points at it).
    await holder.getByRole('button', { name: 'Resolve thread on 4.1-U1' }).click();
    await holder.waitForURL(/\/comments/);
    expect(await holder.locator('#no-open-threads').count()).toBe(1);
    const resolved = holder.locator('#resolved-threads');
    expect(await resolved.locator('summary').textContent()).toContain('1 resolved thread');
    expect(await resolved.locator('.kloe-comment-thread').count()).toBe(1);

    await holder.goto(`${server.url}${inspection}/kloes/4.1`);
    await holder.getByRole('button', { name: 'Mark ready for review' }).click();
    await holder.waitForURL(/done=review-ready_for_review/);
    expect(await holder.locator('#kloe-review').textContent()).toContain('Ready for review');
  });

  it('lets the lead sign the KLOE off, which locks it, and reopen it only after asking why', async () => {
    const lead = pages.lead!;
    await lead.goto(`${server.url}/notifications`);
    const list = await lead.locator('#notifications').textContent();
    expect(list).toContain('Ian Fletcher mentioned you in a comment on statement 4.1-U1');
    expect(list).toContain(`Ian Fletcher marked KLOE 4.1 of ${TEAM_INSPECTION} ready for your review.`);
    await lead.getByRole('button', { name: 'Mark all as read' }).click();
    await lead.waitForURL(/done=read/);
    expect(await unread(lead)).toBe(0);

    await lead.goto(`${server.url}${inspection}/kloes/4.1`);
    await lead.getByRole('button', { name: 'Sign off as reviewed' }).click();
    await lead.waitForURL(/done=review-reviewed/);
    expect(await lead.locator('#kloe-review').textContent()).toContain('Signed off by Leila Brandt');
    expect(await lead.locator('form#kloe-work').count()).toBe(0);
    await accessible(lead, 'kloe-reviewed');

    // Reopening asks first, on a page of its own, and needs a reason; cancelling leaves the KLOE signed off.
    await lead.getByRole('link', { name: 'Reopen KLOE 4.1' }).click();
    await lead.waitForURL(/\/review\?to=drafting$/);
    expect(await lead.locator('main').textContent()).toContain('Reopen KLOE 4.1');
    await lead.getByRole('button', { name: 'Reopen KLOE 4.1' }).click();
    expect(await lead.locator('.govuk-error-summary').textContent()).toContain('Say why KLOE 4.1 is reopened');
    await accessible(lead, 'reopen-reason');
    await lead.getByRole('link', { name: 'Cancel' }).click();
    await lead.waitForURL(/\/kloes\/4\.1$/);
    expect(await lead.locator('#kloe-review').textContent()).toContain('Signed off by Leila Brandt');

    await lead.getByRole('link', { name: 'Reopen KLOE 4.1' }).click();
    await lead.getByLabel('Why').fill('The tenant survey arrived after sign-off');
    await lead.getByRole('button', { name: 'Reopen KLOE 4.1' }).click();
    await lead.waitForURL(/done=review-drafting/);
    expect(await lead.locator('form#kloe-work').count()).toBe(1);
    expect(await lead.locator('#kloe-review').textContent()).toMatch(
      /Drafting[\s\S]*Why it is back in drafting: The tenant survey arrived after sign-off/,
    );
  });

  it('compares the self-assessment with the inspection the member chooses, and gives it as CSV', async () => {
    // A second inspection of the same service, shared with the organisation: now there is a choice.
    const lead = pages.lead!;
    await lead.goto(`${server.url}/assessments/new`);
    await lead
      .getByLabel('Service', { exact: true })
      .selectOption({ label: 'Ashdown District Council — Housing repairs' });
    await lead.getByLabel('Inspection', { exact: true }).check();
    await lead.getByLabel('Title', { exact: true }).fill('Housing repairs re-inspection 2027');
    await lead.getByRole('button', { name: 'Open assessment' }).click();
    await lead.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
    await lead.goto(`${lead.url().split('?')[0]}/details`);
    await lead.getByLabel('Share this inspection with the organisation’s members').check();
    await lead.getByRole('button', { name: 'Save changes' }).click();
    await lead.waitForURL(/done=updated/);

    const member = await signIn('member@example.org');
    await openAssessment(member, SELF_ASSESSMENT);
    await member.getByRole('link', { name: 'Comparison', exact: true }).click();
    expect(await member.getByLabel('Compare with').locator('option:checked').textContent()).toContain(
      're-inspection 2027',
    );
    await member.getByLabel('Compare with').selectOption({ label: `${INSPECTION} (moderation, revision 1)` });
    await member.getByRole('button', { name: 'Compare' }).click();
    await member.waitForURL(/with=/);
    expect(await member.locator('#roll-ups').textContent()).toMatch(/Overall[\s\S]*Key question 4/);
    expect(await member.locator('#statement-differences').textContent()).toMatch(
      /\d+ statements? whose findings differ/,
    );
    await accessible(member, 'comparison');
    const csvHref = await member.getByRole('link', { name: 'Download the comparison as CSV' }).getAttribute('href');
    const csv = await member.request.get(`${server.url}${csvHref}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('level,ref,self-assessment,inspection,difference');
    expect(text).toMatch(/\r\nstatement,\d\.[\d.]+-[PU]\d+,/);
  });
});
