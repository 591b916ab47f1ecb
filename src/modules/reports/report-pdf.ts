/**
 * The PDF: the standalone HTML report printed by Debian's chromium through playwright-core, tagged
 * (headings, reading order, the charts' text alternatives, language and title come from the HTML) and
 * with an outline from its headings. playwright-core is loaded only when a PDF is asked for.
 */
import { access, constants } from 'node:fs/promises';
import { AppError } from '../../errors.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const chromiumMissing = (path: string, why: string) =>
  new AppError(
    'pdf_unavailable',
    503,
    `A PDF needs Chromium, and ${why} (${path}). Install Debian's package with \`apt-get install chromium\`, or set CHROMIUM_PATH to a Chromium executable.`,
  );

export async function renderPdf(html: string, chromiumPath: string): Promise<Buffer> {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw chromiumMissing(chromiumPath, 'there is none at this path');
  }
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // The report is self-contained: nothing needs the network or a GPU.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  } catch (error) {
    throw chromiumMissing(chromiumPath, `it would not start: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      tagged: true,
      outline: true,
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      preferCSSPageSize: true,
    });
  } finally {
    await browser.close();
  }
}
