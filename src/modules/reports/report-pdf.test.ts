import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { createPdfPrinter } from './report-pdf.js';
import { pdfText } from './testing/files.js';
import { TEST_CHROMIUM } from '../../testing/test-chromium.js';

describe('PDF printer', () => {
  let server: Server;
  const fetched: string[] = [];
  let origin: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      fetched.push(request.url ?? '');
      response.end('body { color: red }');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('prints with JavaScript off and fetches nothing, whatever the report holds', async () => {
    const printer = createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 2 });
    try {
      const html = `<!doctype html><html lang="en"><head><title>Report</title>
        <link rel="stylesheet" href="${origin}/style.css"></head><body>
        <p>Report text</p>
        <img src="${origin}/picture.png" alt="">
        <iframe src="${origin}/frame"></iframe>
        <script>document.body.insertAdjacentText('beforeend', 'Script ran'); fetch('${origin}/fetch');</script>
        </body></html>`;
      const text = pdfText(await printer.print(html));
      expect(text).toContain('Report text');
      expect(text).not.toContain('Script ran');
      expect(fetched).toEqual([]);
    } finally {
      await printer.close();
    }
  });

  it('prints one report after another, each in a fresh page made ahead of it', async () => {
    const printer = createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 2 });
    try {
      const report = (text: string) => `<!doctype html><html lang="en"><title>${text}</title><p>${text}</p></html>`;
      const texts = [];
      for (const name of ['First report', 'Second report', 'Third report'])
        texts.push(pdfText(await printer.print(report(name))));
      expect(texts.map((t) => t.trim())).toEqual(['First report', 'Second report', 'Third report']);
    } finally {
      await printer.close();
    }
  });

  it('answers 503 server_busy with Retry-After past its queue, and prints the others', async () => {
    const printer = createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 1 });
    try {
      const html = '<!doctype html><html lang="en"><title>Report</title><p>One report</p></html>';
      const first = printer.print(html);
      const second = await printer.print(html).catch((error: unknown) => error);
      expect(second).toBeInstanceOf(AppError);
      expect(second).toMatchObject({ status: 503, code: 'server_busy', extensions: { retryAfter: 10 } });
      expect(pdfText(await first)).toContain('One report');
      // The line is free again once the first is printed.
      expect(pdfText(await printer.print(html))).toContain('One report');
    } finally {
      await printer.close();
    }
  });
});
