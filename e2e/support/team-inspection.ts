/**
 * Steps the team-work browser tests share: signing in as a demo person, and opening an inspection of the
 * test's own (Ashdown's housing repairs, shared with the organisation's members, Ian Fletcher on the team, in
 * fieldwork). Other files of the run use the demo inspection, and their notifications and work lists must not
 * count in the test's.
 */
import type { Browser, Page } from 'playwright-core';
import { contextWithoutServiceWorker } from './browser.js';

const DEMO_PASSWORD = 'kloe-demo-2026';

/**
 * A page of its own, signed in as one of the demo's people. A step that cannot happen fails within 60 s,
 * naming itself, rather than the whole test.
 */
export async function signInAs(browser: Browser, serverUrl: string, email: string): Promise<Page> {
  const page = await (await contextWithoutServiceWorker(browser)).newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${serverUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

/** Opens it and returns its address (the page is left on its overview). */
export async function openSharedTeamInspection(lead: Page, serverUrl: string, title: string): Promise<string> {
  await lead.goto(`${serverUrl}/assessments/new`);
  await lead
    .getByLabel('Service', { exact: true })
    .selectOption({ label: 'Ashdown District Council — Housing repairs' });
  await lead.getByLabel('Inspection', { exact: true }).check();
  await lead.getByLabel('Title', { exact: true }).fill(title);
  await lead.getByRole('button', { name: 'Open assessment' }).click();
  await lead.waitForURL(/\/assessments\/[0-9a-f-]{36}/);
  const inspection = new URL(lead.url()).pathname;
  await lead.goto(`${serverUrl}${inspection}/details`);
  await lead.getByLabel('Share this inspection with the organisation’s members').check();
  await lead.getByRole('button', { name: 'Save changes' }).click();
  await lead.waitForURL(/done=updated/);
  await lead.getByRole('link', { name: 'Change the team' }).click();
  await lead.getByLabel('Ian Fletcher (inspector)').check();
  await lead.getByRole('button', { name: 'Save team' }).click();
  await lead.waitForURL(/done=team/);
  await lead.getByRole('button', { name: 'Start fieldwork' }).click();
  await lead.waitForURL(/done=status-fieldwork/);
  return inspection;
}
