import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.js';

const ORIGIN = 'https://kloe.example.org';

describe('safeNext', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNext('/assessments/1?tab=evidence', ORIGIN)).toBe('/assessments/1?tab=evidence');
    expect(safeNext('/frameworks', ORIGIN)).toBe('/frameworks');
  });

  it.each([
    ['nothing', undefined],
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/steal'],
    ['a backslash the browser reads as a slash', '/\\evil.example'],
    ['a tab the browser drops', '/\t/evil.example'],
    ['a newline the browser drops', '/\n/evil.example'],
    ['a path that normalises to two slashes', '/.//evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'evil.example'],
  ])('sends %s to the home page', (_what, next) => {
    expect(safeNext(next, ORIGIN)).toBe('/');
  });
});
