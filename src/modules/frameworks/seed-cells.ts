/**
 * Reading one cell of a seed document's KLOE table. A cell is either HTML (`<p>lead-in</p> <ul><li>…</li></ul>`)
 * or plain text with the statements run together; both come out as the same list of pieces, so that the
 * rules placing them into descriptors (seed-statements.ts) need not care which form they came from.
 */

export interface CellPiece {
  /** Whitespace-normalised, bullet stripped, never empty. */
  text: string;
  /**
   * item: a list item or bulleted statement; subItem: an item of a nested or ▪-bulleted list;
   * loose: text outside any list, which may continue a statement cut by a page break.
   */
  kind: 'item' | 'subItem' | 'loose';
}

export interface CellContent {
  html: boolean;
  /** The lead-in printed above the statements, e.g. "The service /organisation:", verbatim. */
  leadIn?: string;
  pieces: CellPiece[];
}

const HTML_TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g;
const LOOKS_LIKE_HTML = /<\/?(?:p|ul|ol|li|br|div|span)\b[^>]*>/i;
/** Tags that end a run of text; any other tag (span, em, …) is inline and only removed. */
const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'li', 'div', 'br']);
const LEAD_IN = /^(The service\s*\/\s*organisation:)(?:\s+|$)/i;
const SUB_BULLETS = '▪◦▫○■□';
/** A bullet glyph (or an ASCII dash or star followed by a space) at the start of an item. */
const LEADING_BULLET = /^(?:[•●‣⁃∙·▪◦▫○■□]|[-–—*](?=\s|$))\s*/;
/** Bullet glyphs in the middle of a plain-text cell separate statements; ASCII dashes there are punctuation. */
const PLAIN_BULLET_SPLIT = /(?:^|\s+)([•●‣▪◦▫○■□])(?:\s+|$)/;
/** Plain text: a statement ends with a sentence and the next starts with a lower-case verb ("… users. has plans"). */
const PLAIN_STATEMENT_BREAK = /(?<=[.!?])(?<!\b(?:e\.g|i\.e|etc|viz|cf)\.)\s+(?=[a-z])/;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  bull: '•',
  pound: '£',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The text of a cell with any markup removed: for the KLOE column ("<p>5.2.2 Are …</p>"). */
export function cellText(raw: string): string {
  return normaliseSpace(decodeEntities(raw.replace(HTML_TAG, ' ')));
}

export function readCell(raw: string): CellContent {
  const html = LOOKS_LIKE_HTML.test(raw);
  const pieces = html ? htmlPieces(raw) : plainPieces(normaliseSpace(decodeEntities(raw)));
  const first = pieces[0];
  const leadIn = first && first.kind !== 'subItem' ? LEAD_IN.exec(first.text) : null;
  if (!first || !leadIn) return { html, pieces };
  const rest = first.text.slice(leadIn[0].length);
  const remaining = rest === '' ? pieces.slice(1) : [{ ...first, text: rest }, ...pieces.slice(1)];
  return { html, leadIn: leadIn[1]!, pieces: remaining };
}

function htmlPieces(raw: string): CellPiece[] {
  const pieces: CellPiece[] = [];
  let listDepth = 0;
  let itemDepth = 0;
  let buffer = '';
  const flush = () => {
    const kind = itemDepth === 0 ? 'loose' : listDepth > 1 ? 'subItem' : 'item';
    addPiece(pieces, decodeEntities(buffer), kind);
    buffer = '';
  };
  let position = 0;
  for (const match of raw.matchAll(HTML_TAG)) {
    buffer += raw.slice(position, match.index);
    position = match.index + match[0].length;
    const tag = match[2]!.toLowerCase();
    if (!BLOCK_TAGS.has(tag)) continue;
    if (tag === 'br') {
      buffer += ' ';
      continue;
    }
    flush();
    const step = match[1] === '/' ? -1 : 1;
    if (tag === 'ul' || tag === 'ol') listDepth = Math.max(0, listDepth + step);
    if (tag === 'li') itemDepth = Math.max(0, itemDepth + step);
  }
  buffer += raw.slice(position);
  flush();
  return pieces;
}

function plainPieces(text: string): CellPiece[] {
  const pieces: CellPiece[] = [];
  // split() with a capturing group alternates text and the bullet glyph that preceded the next text.
  const parts = text.split(PLAIN_BULLET_SPLIT);
  parts.forEach((part, index) => {
    if (index % 2 === 1) return;
    const bullet = index === 0 ? undefined : parts[index - 1]!;
    const kind = bullet === undefined ? 'loose' : SUB_BULLETS.includes(bullet) ? 'subItem' : 'item';
    // A sub-item's text is one item; anything else may hold several statements run together.
    const statements = kind === 'subItem' ? [part] : part.split(PLAIN_STATEMENT_BREAK);
    statements.forEach((statement, at) => addPiece(pieces, statement, at === 0 ? kind : 'item'));
  });
  return pieces;
}

/** Adds a piece unless it is empty once its bullet is stripped (a stray "•" in the source); ▪ marks a sub-item. */
function addPiece(pieces: CellPiece[], raw: string, kind: CellPiece['kind']): void {
  const text = normaliseSpace(raw);
  const bullet = LEADING_BULLET.exec(text);
  const stripped = bullet ? text.slice(bullet[0].length) : text;
  if (stripped === '') return;
  const subBullet = bullet !== null && SUB_BULLETS.includes(bullet[0].trim());
  pieces.push({ text: stripped, kind: subBullet ? 'subItem' : kind });
}
