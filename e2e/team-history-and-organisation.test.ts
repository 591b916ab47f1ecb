import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousAccessibilityViolations } from './support/browser.js';
import { fillDate } from './support/date-input.js';
import { startServer, type RunningServer } from './support/server.js';
import { openSharedTeamInspection, signInAs } from './support/team-inspection.js';

/** This file's own inspection: unique, so that a second run on the same server finds only its own. */
const TITLE = `Team history check ${Date.now().toString(36)}`;
const OPEN_REQUEST = `Repairs policy for ${TITLE}`;
const LATE_REQUEST = `Void standard audit for ${TITLE}`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * What the team does shows in the assessment's history in plain words; the organisation's people see the
 * comments shared with them (never the team's own) and answer them, and see on their work what they have been
 * asked for, the overdue flagged.
 */
describe('team history and the organisation’s side, in chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let lead: Page;
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
    await screenshot(page, `team-history-${name}`);
    expect(await seriousAccessibilityViolations(page), name).toEqual([]);
  }

  async function request(what: string, dueOn: string) {
    await lead.goto(`${server.url}${inspection}/evidence/requests`);
    await lead.getByLabel('What evidence is needed').fill(what);
    await fillDate(lead, 'dueOn', dueOn);
    await lead.getByLabel('For which KLOEs (optional)').fill('4.1');
    await lead.getByRole('button', { name: 'Send request' }).click();
    await lead.waitForURL(/done=/);
  }

  it('shows the team’s actions in the overview history in plain words, with no id or JSON', async () => {
    lead = await signIn('lead.inspector@example.org');
    inspection = await openSharedTeamInspection(lead, server.url, TITLE);

    await lead.goto(`${server.url}${inspection}/assignments`);
    await lead.getByRole('link', { name: 'Assign KLOE 4.1', exact: true }).click();
    await lead.getByLabel('Who drafts it').selectOption({ label: 'Ian Fletcher' });
    await lead.getByLabel('Day').fill('12');
    await lead.getByLabel('Month').fill('1');
    await lead.getByLabel('Year').fill('2027');
    await lead.getByRole('button', { name: 'Save assignment' }).click();
    await lead.waitForURL(/done=assigned/);
    await request(OPEN_REQUEST, '2030-03-14');
    await request(LATE_REQUEST, '2025-01-15');

    await lead.goto(`${server.url}${inspection}`);
    const history = lead.locator('#history + ol');
    const text = (await history.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Leila Brandt assigned KLOE 4.1 to Ian Fletcher, due 12 January 2027');
    expect(text).toContain(`Leila Brandt asked for “${OPEN_REQUEST}” for KLOE 4.1, due 14 March 2030`);
    expect(text).toContain('Leila Brandt moved the assessment from planning to fieldwork');
    expect(text).toContain('Leila Brandt changed the team to Leila Brandt leading and Ian Fletcher on the team');
    expect(text).toContain('Leila Brandt shared the assessment with the organisation');
    expect(text).toContain(`Leila Brandt opened the inspection “${TITLE}”`);
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/[{}[\]"]|userId|sharedWithOrganisation|dueOn|kloe\.assigned|\d{4}-\d{2}-\d{2}/);
    await accessible(lead, 'overview');
  });

  it('lets the organisation see only the comments shared with it, and the inspector its reply', async () => {
    const comments = `${server.url}${inspection}/kloes/4.1/comments`;
    for (const [audience, body] of [
      ['Team and organisation', 'Could you send the repairs policy that was approved in 2026?'],
      ['Team only', 'Their repairs policy looks out of date: check it at the interview'],
    ] as const) {
      await lead.goto(comments);
      await lead.getByLabel(audience, { exact: true }).check();
      await lead.getByLabel('Comment', { exact: true }).fill(body);
      await lead.getByRole('button', { name: 'Post comment' }).click();
      await lead.waitForURL(/#thread-/);
    }

    const member = await signIn('member@example.org');
    await member.goto(comments);
    const page = await member.locator('main').innerText();
    expect(page).toContain('Could you send the repairs policy that was approved in 2026?');
    expect(page).not.toContain('looks out of date');
    expect(await member.locator('.kloe-comment-thread').count()).toBe(1);
    await accessible(member, 'member-comments');
    const thread = member.locator('.kloe-comment-thread').first();
    await thread.getByLabel('Reply', { exact: true }).fill('Attached to the request: the 2026 policy replaced it');
    await thread.getByRole('button', { name: 'Reply' }).click();
    await member.waitForURL(/#thread-/);
    expect(await member.locator('main').innerText()).toContain('the 2026 policy replaced it');

    await lead.goto(comments);
    const shared = lead.locator('.kloe-comment-thread', { hasText: 'approved in 2026' });
    expect((await shared.innerText()).replace(/\s+/g, ' ')).toMatch(
      /approved in 2026[\s\S]*Attached to the request: the 2026 policy replaced it/,
    );
    expect(await shared.innerText()).toContain('Morgan Hale');
    expect(await lead.locator('main').innerText()).toContain('looks out of date');
    await accessible(lead, 'inspector-comments');
  });

  it('shows the organisation’s member what they have been asked for, with due dates, the overdue flagged', async () => {
    const member = await signIn('member@example.org');
    await member.goto(server.url);
    const asked = member.locator('#asked + ul');
    const open = asked.locator('li', { hasText: OPEN_REQUEST });
    const late = asked.locator('li', { hasText: LATE_REQUEST });
    expect((await open.innerText()).replace(/\s+/g, ' ')).toContain(`(${TITLE}), due 14 March 2030`);
    expect(await open.locator('.govuk-tag').count()).toBe(0);
    expect((await late.innerText()).replace(/\s+/g, ' ')).toContain(`(${TITLE}), due 15 January 2025`);
    expect(await late.locator('.govuk-tag--red').innerText()).toBe('Overdue');
    await accessible(member, 'member-my-work');
  });
});
