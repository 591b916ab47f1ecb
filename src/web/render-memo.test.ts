import { gunzipSync } from 'node:zlib';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import {
  acceptsGzip,
  CSRF_PLACEHOLDER,
  cutPage,
  fillPage,
  gzipPage,
  immutableContent,
  NONCE_PLACEHOLDER,
  pureHelper,
  RenderMemo,
  renderKey,
} from './render-memo.js';

const page = { title: 'KLOE 5.2.2', findings: [{ ref: '5.2.2-P1', outcome: 'met', at: new Date('2026-12-01') }] };

describe('renderKey', () => {
  it('is the same for the same template and context, and differs when anything shown changes', () => {
    const key = renderKey('kloe.njk', page);
    expect(renderKey('kloe.njk', structuredClone(page))).toBe(key);
    expect(renderKey('scorecard.njk', page)).not.toBe(key);
    const changed = structuredClone(page);
    changed.findings[0]!.outcome = 'not_met';
    expect(renderKey('kloe.njk', changed)).not.toBe(key);
  });

  it('tells apart values that JSON writes alike but a template prints differently', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    expect(renderKey('t', { at })).not.toBe(renderKey('t', { at: at.toISOString() }));
    expect(renderKey('t', { n: NaN })).not.toBe(renderKey('t', { n: null }));
    expect(renderKey('t', { n: Infinity })).not.toBe(renderKey('t', { n: -Infinity }));
    const safe = new nunjucks.runtime.SafeString('<b>x</b>');
    expect(renderKey('t', { html: safe })).not.toBe(renderKey('t', { html: '<b>x</b>' }));
    expect(renderKey('t', { html: safe })).not.toBe(renderKey('t', { html: { val: '<b>x</b>', length: 8 } }));
  });

  it('refuses to key what it cannot describe: the page is then rendered every time', () => {
    expect(renderKey('t', { helper: () => 'x' })).toBeUndefined();
    expect(renderKey('t', { byRef: new Map([['a', 1]]) })).toBeUndefined();
    expect(renderKey('t', { refs: new Set(['a']) })).toBeUndefined();
    class Row {
      constructor(readonly id: string) {}
    }
    expect(renderKey('t', { row: new Row('a') })).toBeUndefined();
  });

  it('keys a declared pure helper by identity', () => {
    const helper = pureHelper((ref: string) => ref.toUpperCase());
    const other = pureHelper((ref: string) => ref.toLowerCase());
    expect(renderKey('t', { helper })).toBe(renderKey('t', { helper }));
    expect(renderKey('t', { helper })).not.toBe(renderKey('t', { helper: other }));
  });

  it('keys an immutable document by identity, and freezes it so that it cannot change under a remembered page', () => {
    const doc = immutableContent({ keyQuestions: [{ ref: '4', kloes: [{ ref: '4.1' }] }] });
    const twin = immutableContent(structuredClone({ keyQuestions: [{ ref: '4', kloes: [{ ref: '4.1' }] }] }));
    expect(renderKey('t', { doc, kloe: doc.keyQuestions[0]!.kloes[0] })).toBe(
      renderKey('t', { doc, kloe: doc.keyQuestions[0]!.kloes[0] }),
    );
    expect(renderKey('t', { doc })).not.toBe(renderKey('t', { doc: twin }));
    expect(() => {
      doc.keyQuestions[0]!.kloes[0]!.ref = '4.2';
    }).toThrow(TypeError);
    expect(() => doc.keyQuestions.push({ ref: '5', kloes: [] })).toThrow(TypeError);
  });
});

describe('RenderMemo', () => {
  it('keeps pages up to its size, forgetting the least recently used first', () => {
    const memo = new RenderMemo(10);
    memo.set('a', 'aaaa');
    memo.set('b', 'bbbb');
    expect(memo.get('a')).toBe('aaaa'); // now the most recently used
    memo.set('c', 'cccc');
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe('aaaa');
    expect(memo.get('c')).toBe('cccc');
  });

  it('does not keep a page larger than the whole memo', () => {
    const memo = new RenderMemo(3);
    memo.set('a', 'aaaa');
    expect(memo.get('a')).toBeUndefined();
  });
});

describe('cutPage and fillPage', () => {
  it("put each response's own token and nonce where the placeholders were, keeping every other byte", () => {
    const html = `<script nonce="${NONCE_PLACEHOLDER}"></script><p>Café ✓</p><input value="${CSRF_PLACEHOLDER}"><input value="${CSRF_PLACEHOLDER}">`;
    const page = cutPage(html);
    expect(page.length).toBe(Buffer.byteLength(html) - 2 * CSRF_PLACEHOLDER.length - NONCE_PLACEHOLDER.length);
    expect(fillPage(page, 'token-1', 'nonce-1').toString()).toBe(
      '<script nonce="nonce-1"></script><p>Café ✓</p><input value="token-1"><input value="token-1">',
    );
    expect(fillPage(page, 'token-2', 'nonce-2').toString()).toContain('value="token-2"><input value="token-2"');
  });

  it('keeps a page without placeholders as it is', () => {
    expect(fillPage(cutPage('<p>plain</p>'), 't', 'n').toString()).toBe('<p>plain</p>');
  });
});

describe('gzipPage', () => {
  const filled = (html: string, token: string, nonce: string) =>
    html.replaceAll(CSRF_PLACEHOLDER, token).replaceAll(NONCE_PLACEHOLDER, nonce);

  it('gzips the filled page: it unzips to every byte fillPage gives, whatever the holes', () => {
    const body = Array.from({ length: 2_000 }, (_, i) => `<tr><td>Row ${i} – Café ✓</td></tr>`).join('');
    const pages = [
      '<p>no holes</p>',
      `<script nonce="${NONCE_PLACEHOLDER}"></script>${body}<input value="${CSRF_PLACEHOLDER}">${body}<input value="${CSRF_PLACEHOLDER}">`,
      `${CSRF_PLACEHOLDER}${body}${NONCE_PLACEHOLDER}`, // holes at both ends: empty first and last pieces
      '',
    ];
    for (const html of pages) {
      const page = cutPage(html);
      for (const [token, nonce] of [
        ['token-1', 'nonce-1'],
        ['a-longer-token-'.repeat(8), 'n'],
      ] as const) {
        const zipped = gzipPage(page, token, nonce);
        expect(gunzipSync(zipped).toString()).toBe(filled(html, token, nonce));
        expect(gunzipSync(zipped).equals(fillPage(page, token, nonce))).toBe(true);
      }
    }
    const big = cutPage(`${body}${CSRF_PLACEHOLDER}${body}`);
    expect(gzipPage(big, 't', 'n').length).toBeLessThan(big.length / 5);
  });
});

describe('acceptsGzip', () => {
  it('takes gzip when named or allowed by *, never with q=0', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, gzip;q=0')).toBe(false);
    expect(acceptsGzip('x-gzip')).toBe(false);
  });
});
