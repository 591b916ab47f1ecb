/**
 * Posting a page's form as a browser would: load the page, take its CSRF token and cookie, and post
 * the fields urlencoded. Tests of form handling go through the real CSRF check this way.
 */
import type { App } from '../app.js';

type Headers = Record<string, string>;

/** The name=value pairs of a response's Set-Cookie headers, as one Cookie header. */
export function cookiesFrom(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((c) => c.split(';')[0]).join('; ');
}

export function mergeCookies(...cookieHeaders: (string | undefined)[]): string {
  const jar = new Map<string, string>();
  for (const header of cookieHeaders) {
    for (const pair of (header ?? '').split(/;\s*/).filter(Boolean)) jar.set(pair.split('=')[0]!, pair);
  }
  return [...jar.values()].join('; ');
}

export async function submitForm(
  app: App,
  options: { page: string; action?: string; headers?: Headers; fields: Record<string, string | string[]> },
) {
  const headers = options.headers ?? {};
  const page = await app.inject({ url: options.page, headers });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error(`no CSRF token on ${options.page} (status ${page.statusCode})`);
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(options.fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  body.append('_csrf', token);
  return app.inject({
    method: 'POST',
    url: options.action ?? options.page,
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: mergeCookies(headers.cookie, cookiesFrom(page.headers['set-cookie'])),
    },
    payload: body.toString(),
  });
}
