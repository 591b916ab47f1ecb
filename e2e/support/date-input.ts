/** Fills a GOV.UK date input (the fields `<name>-day`, `<name>-month`, `<name>-year`) as a person types a date. */
import type { Page } from 'playwright-core';

export async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-');
  await page.locator(`[name="${name}-day"]`).fill(String(Number(day)));
  await page.locator(`[name="${name}-month"]`).fill(String(Number(month)));
  await page.locator(`[name="${name}-year"]`).fill(year!);
}
