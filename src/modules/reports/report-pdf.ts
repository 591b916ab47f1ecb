/**
 * The PDF: the standalone HTML report printed by Debian's chromium through playwright-core, tagged
 * (headings, reading order, the charts' text alternatives, language and title come from the HTML) and
 * with an outline from its headings. playwright-core is loaded only when a PDF is first asked for.
 *
 * One browser per process, launched on the first PDF and kept (launching one took most of the 6 s a PDF
 * used to cost, and six at once took 1.3 GB), printing a few reports at a time: past the queue the caller
 * gets 503 with Retry-After. Each report is printed in a fresh browser context with JavaScript off, and
 * every request but the report document itself is refused: whatever a report contains, printing it
 * cannot make the server fetch a URL. The next report's context and page are made while nothing is being
 * printed (a few hundred ms of chromium starting a renderer), so a PDF does not wait for them.
 */
import { access, constants } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWorkQueue, serverBusy } from '../../concurrency/work-queue.js';
import { AppError } from '../../errors.js';
import type { PrintFrame } from './report-print-frame.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Reports printing or waiting to, by default: each printing page holds 50–100 MB in chromium. */
export const DEFAULT_PDF_QUEUE = 4;

export const chromiumMissing = (path: string, why: string) =>
  new AppError(
    'pdf_unavailable',
    503,
    `A PDF needs Chromium, and ${why} (${path}). Install Debian's package with \`apt-get install chromium\`, or set CHROMIUM_PATH to a Chromium executable.`,
  );

/** Where the printing page loads the report from; answered from memory, never from the network. */
const REPORT_URL = 'https://report.kloe.invalid/';

/** Belt and braces with the route below: the report needs nothing but its inline styles and data: pictures. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

export interface PdfPrinterOptions {
  chromiumPath: string;
  /** Reports printing at once (one) plus those waiting; at least 1. */
  queueSize: number;
}

export function createPdfPrinter(options: PdfPrinterOptions) {
  const { chromiumPath } = options;
  // One page prints at a time: chromium's printing is CPU-bound, more at once only shares the cores.
  const queue = createWorkQueue({ running: 1, waiting: options.queueSize - 1 }, () => serverBusy('PDFs', 10));
  let browser: Promise<Browser> | undefined;

  async function launch(): Promise<Browser> {
    try {
      await access(chromiumPath, constants.X_OK);
    } catch {
      throw chromiumMissing(chromiumPath, 'there is none at this path');
    }
    const { chromium } = await import('playwright-core');
    let launched: Browser;
    try {
      launched = await chromium.launch({
        executablePath: chromiumPath,
        // The report is self-contained: nothing needs the network or a GPU.
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    } catch (error) {
      throw chromiumMissing(chromiumPath, `it would not start: ${(error as Error).message.split('\n')[0]}`);
    }
    // A browser that crashed or was killed is launched again for the next PDF.
    launched.on('disconnected', () => {
      browser = undefined;
    });
    return launched;
  }

  function current(): Promise<Browser> {
    browser ??= launch().catch((error: unknown) => {
      browser = undefined;
      throw error;
    });
    return browser;
  }

  interface Blank {
    context: BrowserContext;
    page: Page;
  }
  /** A fresh context and page, not yet used: made after each print for the next one. */
  let spare: Promise<Blank | undefined> | undefined;

  async function blank(): Promise<Blank> {
    const context = await (await current()).newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
    return { context, page: await context.newPage() };
  }

  /** The spare page if it is still usable (its browser may have gone since), else a new one. */
  async function take(): Promise<Blank> {
    const waiting = spare;
    spare = undefined;
    const ready = await waiting;
    if (ready && !ready.page.isClosed() && ready.context.browser()?.isConnected()) return ready;
    return blank();
  }

  function prepareNext() {
    spare = blank().catch(() => undefined); // a failure shows, with its reason, when the next PDF makes its own
  }

  async function print(html: string, frame?: PrintFrame): Promise<Buffer> {
    const { context, page } = await take();
    try {
      await page.route('**/*', (route) =>
        route.request().url() === REPORT_URL
          ? route.fulfill({
              status: 200,
              contentType: 'text/html; charset=utf-8',
              headers: { 'content-security-policy': REPORT_CSP },
              body: html,
            })
          : route.abort('blockedbyclient'),
      );
      await page.goto(REPORT_URL, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        tagged: true,
        outline: true,
        margin: { top: '20mm', bottom: '18mm', left: '16mm', right: '16mm' },
        preferCSSPageSize: true,
        ...(frame ? { displayHeaderFooter: true, ...frame } : {}),
      });
    } finally {
      await context.close();
      prepareNext();
    }
  }

  return {
    /**
     * The HTML document printed to PDF, with a running header and footer on every page when given a frame;
     * 503 server_busy when the queue is full, pdf_unavailable without chromium.
     */
    print: (html: string, frame?: PrintFrame) => queue.run(() => print(html, frame)),
    /** Waits for the PDFs being printed, then closes the browser (closing the app). */
    async close() {
      await queue.idle();
      const unused = spare;
      spare = undefined;
      await (await unused)?.context.close().catch(() => undefined);
      const running = browser;
      browser = undefined;
      await (await running?.catch(() => undefined))?.close();
    },
  };
}

export type PdfPrinter = ReturnType<typeof createPdfPrinter>;
