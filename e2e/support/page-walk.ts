/**
 * Walks a signed-in person's pages: from the start page, every same-origin link of a kind not yet seen,
 * a kind being the address with its ids, KLOE references and numbers taken out (one assessment stands for
 * all of them). Downloads, the API, files and sign-out are left alone.
 */
import type { Page } from 'playwright-core';

const SKIP = [
  /^\/sign-out/,
  /^\/api\//,
  /\/files\//,
  /^\/assets\//,
  /\.(css|js|json|pdf|docx|csv|zip|svg|png)$/,
  /\/download/,
  /\/export/,
];

/** The kind of page an address is: ids, references and numbers replaced by placeholders. */
export function pageKind(pathname: string): string {
  return pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/\/\d+(\.\d+)*(-[PU]\d+(\.\d+)*)?(?=\/|$)/g, '/:ref')
    .replace(/\/[^/]*\d[^/]*(?=\/|$)/g, '/:n');
}

export async function linksOf(page: Page, origin: string): Promise<string[]> {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  return hrefs
    .map((href) => new URL(href, page.url()))
    .filter((url) => url.origin === origin && !SKIP.some((re) => re.test(url.pathname)))
    .map((url) => url.pathname);
}

/**
 * Visits pages breadth-first from `start` (a path), one of each kind, up to `limit`; calls `visit` on each
 * (the page is loaded) and returns the paths visited.
 */
export async function walkPages(
  page: Page,
  origin: string,
  start: string[],
  limit: number,
  visit: (path: string) => Promise<void>,
): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...start];
  const visited: string[] = [];
  while (queue.length > 0 && visited.length < limit) {
    const path = queue.shift()!;
    const kind = pageKind(path);
    if (seen.has(kind)) continue;
    seen.add(kind);
    const response = await page.goto(`${origin}${path}`).catch(() => null);
    if (!response || !(response.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    visited.push(path);
    await visit(path);
    for (const link of await linksOf(page, origin)) if (!seen.has(pageKind(link))) queue.push(link);
  }
  return visited;
}
