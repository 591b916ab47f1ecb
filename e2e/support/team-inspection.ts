/**
 * An inspection of a test's own, opened by the signed-in lead: of Ashdown's housing repairs, shared with the
 * organisation's members, with Ian Fletcher on the team, in fieldwork. Other files of the run use the demo
 * inspection, and their notifications and work lists must not count in the test's.
 */
import type { Page } from 'playwright-core';

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
