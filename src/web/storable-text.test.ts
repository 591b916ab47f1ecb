/** The text rule itself: which strings the database cannot store, and how their fields are named. */
import { describe, expect, it } from 'vitest';
import { unstorableReason, unstorableText } from './storable-text.js';

describe('unstorableReason', () => {
  it('accepts any well-formed text, surrogate pairs (emoji) and right-to-left scripts included', () => {
    for (const text of ['', 'Leeds', 'café', '😀 ok', 'مرحبا', 'tab\tand\nnewline']) {
      expect(unstorableReason(text)).toBeUndefined();
    }
  });

  it('refuses a NUL character and names it', () => {
    expect(unstorableReason('a\u0000b')).toBe('must not contain a NUL character (U+0000)');
  });

  it('refuses an unpaired high or low surrogate and names it', () => {
    expect(unstorableReason('x\ud800y')).toMatch(/unpaired surrogate \(U\+D800\)/);
    expect(unstorableReason('\udc00')).toMatch(/unpaired surrogate \(U\+DC00\)/);
    expect(unstorableReason('\ud83d')).toMatch(/U\+D83D/); // half an emoji
  });
});

describe('unstorableText', () => {
  it('finds bad strings at any depth, in arrays and in object keys, with dotted paths', () => {
    const problems = unstorableText({ ok: 'fine', notes: { list: ['ok', 'a\u0000'] }, ['k\u0000']: 'v' }, ['body']);
    expect(problems.map((p) => p.field)).toEqual(['body.notes.list.1', 'body.k\\u0000']);
    expect(problems[1]!.message).toMatch(/^has a name that must not contain a NUL/);
  });

  it('looks at text only, not at numbers, booleans or file bytes', () => {
    expect(unstorableText({ n: 1, b: true, bytes: Buffer.from([0, 0xd8]), nothing: null })).toEqual([]);
  });
});
