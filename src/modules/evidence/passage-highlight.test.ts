import { describe, expect, it } from 'vitest';
import { findPassage, previewPassage } from './passage-highlight.js';

const PDF_TEXT =
  'Repairs plan 2026\nPriorities agreed with tenants.\n\f\nThe capital programme\nslipped twice in 2025, and the   contractor was replaced.\n\f\nAppendix';

describe('the passage a preview marks', () => {
  it('finds a quote by its words, across line breaks, spacing, punctuation and case', () => {
    const found = findPassage(PDF_TEXT, 'capital programme slipped twice in 2025 and the contractor');
    expect(found).toBeDefined();
    expect(PDF_TEXT.slice(found!.start, found!.end)).toBe(
      'capital programme\nslipped twice in 2025, and the   contractor',
    );
    expect(findPassage(PDF_TEXT, 'THE CAPITAL PROGRAMME')).toBeDefined();
    expect(findPassage(PDF_TEXT, 'programme slipped three times')).toBeUndefined();
    expect(findPassage(PDF_TEXT, '“ … ”')).toBeUndefined();
  });

  it('keeps the PDF’s pages and marks the passage on the page it is on', () => {
    const preview = previewPassage(PDF_TEXT, 'capital programme slipped twice', 10_000);
    expect(preview.found).toBe(true);
    expect(preview.foundOnPage).toBe(2);
    expect(preview.pages.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(preview.pages[1]!.segments).toEqual([
      { text: 'The ', marked: false },
      { text: 'capital programme\nslipped twice', marked: true },
      { text: ' in 2025, and the   contractor was replaced.', marked: false },
    ]);
    expect(preview.pages[0]!.segments).toEqual([
      { text: 'Repairs plan 2026\nPriorities agreed with tenants.', marked: false },
    ]);
    expect(preview.shortened).toBe(false);
  });

  it('shows the text unmarked when there is no quote, or it is not in the text', () => {
    for (const quote of [undefined, 'not in this file']) {
      const preview = previewPassage('One page of text.', quote, 10_000);
      expect(preview.pages).toEqual([{ number: 1, segments: [{ text: 'One page of text.', marked: false }] }]);
      expect(preview.found).toBe(false);
      expect(preview.foundOnPage).toBeNull();
    }
  });

  it('shows the part of a long text around the passage, with the page numbers it has there', () => {
    const long = `${'filler words '.repeat(2000)}\f${'more filler '.repeat(2000)}the quoted sentence is here. ${'tail '.repeat(5000)}`;
    const preview = previewPassage(long, 'the quoted sentence', 1000);
    expect(preview.shortened).toBe(true);
    expect(preview.pages.map((p) => p.number)).toEqual([2]);
    const shown = preview.pages[0]!.segments.map((s) => s.text).join('');
    expect(shown.length).toBeLessThanOrEqual(1000);
    expect(preview.pages[0]!.segments.find((s) => s.marked)?.text).toBe('the quoted sentence');
  });
});
