/**
 * Where to send a person after signing in: the `next` they arrived with, only if it is a path on kloe's own
 * origin. The browser's URL parser is the judge, not a pattern: it drops tabs and newlines and reads `\` as
 * `/`, so `/\t/evil.example` is `//evil.example` to a browser, another site.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  // The path is sent as given in Location, so it must not itself read as protocol-relative (`/.//evil`).
  if (url.origin !== new URL(origin).origin || /^\/[/\\]/.test(url.pathname)) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
