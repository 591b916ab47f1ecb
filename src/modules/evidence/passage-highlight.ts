/**
 * A file's extracted text as the preview shows it: split into the PDF's pages (text extraction separates
 * them with a form feed), with the quoted passage marked where it occurs. The quote is found by its words in
 * order, whatever lies between them (line breaks, several spaces, punctuation), ignoring case: a quote typed
 * from a printed page rarely matches the extracted text character for character.
 */

/** One run of text, marked when it is (part of) the quoted passage. */
export interface Segment {
  text: string;
  marked: boolean;
}

export interface PreviewPage {
  /** The page's number, counted from 1 (a file that is not a PDF is one page). */
  number: number;
  segments: Segment[];
}

export interface PassagePreview {
  pages: PreviewPage[];
  /** Whether the quote was found (false when there was none to find). */
  found: boolean;
  /** The page the passage starts on, when found. */
  foundOnPage: number | null;
  /** Whether the text was longer than the preview shows (the part around the passage is shown). */
  shortened: boolean;
}

const PAGE_BREAK = '\f';
/** More words than this in a quote are not needed to place it, and keep the pattern small. */
const QUOTE_WORDS = 60;
const WORD = /[\p{L}\p{N}]+/gu;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the quote's words occur in order in the text, or undefined. */
export function findPassage(text: string, quote: string): { start: number; end: number } | undefined {
  const words = quote.match(WORD)?.slice(0, QUOTE_WORDS);
  if (!words || words.length === 0) return undefined;
  // Letters and separators are disjoint classes, so the pattern cannot backtrack beyond one word.
  const pattern = new RegExp(words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+'), 'iu');
  const match = pattern.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

export function previewPassage(text: string, quote: string | undefined, maxChars: number): PassagePreview {
  const passage = quote ? findPassage(text, quote) : undefined;
  // Too long to show whole: the part around the passage (or the beginning), cut at page breaks' counts kept.
  let from = 0;
  let to = text.length;
  if (text.length > maxChars) {
    const centre = passage ? Math.floor((passage.start + passage.end) / 2) : 0;
    from = Math.max(0, Math.min(centre - Math.floor(maxChars / 2), text.length - maxChars));
    to = from + maxChars;
  }
  const firstPage = countPageBreaks(text, 0, from) + 1;
  const pages: PreviewPage[] = [];
  let page: PreviewPage = { number: firstPage, segments: [] };
  const push = (run: string, marked: boolean) => {
    const parts = run.split(PAGE_BREAK);
    parts.forEach((part, i) => {
      if (i > 0) {
        pages.push(page);
        page = { number: page.number + 1, segments: [] };
      }
      const trimmed = i > 0 || parts.length > 1 ? part.replace(/^\n+|\n+$/g, '') : part;
      if (trimmed) page.segments.push({ text: trimmed, marked });
    });
  };
  if (passage && passage.start >= from && passage.end <= to) {
    push(text.slice(from, passage.start), false);
    push(text.slice(passage.start, passage.end), true);
    push(text.slice(passage.end, to), false);
  } else {
    push(text.slice(from, to), false);
  }
  pages.push(page);
  return {
    pages: pages.filter((p) => p.segments.length > 0),
    found: passage !== undefined,
    foundOnPage: passage ? countPageBreaks(text, 0, passage.start) + 1 : null,
    shortened: from > 0 || to < text.length,
  };
}

function countPageBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf(PAGE_BREAK, from); i !== -1 && i < to; i = text.indexOf(PAGE_BREAK, i + 1)) count++;
  return count;
}
