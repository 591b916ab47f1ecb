/**
 * Rendered pages remembered by exactly what they were rendered from. A template is a pure function of its
 * context (no clock, no globals that change), so the same template and the same context give the same HTML:
 * a page asked for again with nothing changed (a reload, a colleague opening the same KLOE, a scorecard on a
 * wall) costs a hash instead of a render, and any change to what the page shows changes the key. The data
 * is still read on every request; only the Nunjucks work is saved, which is most of a page's server time.
 *
 * Per-request values (the CSRF token, the CSP nonce) are rendered as per-process placeholders and put in
 * afterwards. A context the key cannot describe faithfully (a function, a Map, a class instance) is
 * rendered every time, never remembered.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import nunjucks from 'nunjucks';

/** Stand-ins for the per-request values; random per process, so no page text can contain one by chance. */
const placeholder = (name: string) => `kloe${name}${randomBytes(12).toString('hex')}`;
export const CSRF_PLACEHOLDER = placeholder('Csrf');
export const NONCE_PLACEHOLDER = placeholder('Nonce');

/** Objects that never change (a framework version's document and everything in it), by a number of their own. */
const immutables = new WeakMap<object, number>();
let lastNumber = 0;

/**
 * Declares a document immutable: it and everything in it are frozen (so a change throws instead of leaving
 * remembered pages stale) and are keyed by a number rather than written out, which keeps the key of a page
 * that shows a framework small (the built-in framework is 35 KB of JSON, repeated in several places).
 */
export function immutableContent<T extends object>(root: T): T {
  const visit = (value: unknown) => {
    if (value === null || typeof value !== 'object' || immutables.has(value)) return;
    immutables.set(value, ++lastNumber);
    for (const child of Object.values(value)) visit(child);
    Object.freeze(value);
  };
  visit(root);
  return root;
}

/** Declares a helper a page calls as pure (its result depends on its arguments alone), so its pages can be remembered. */
export function pureHelper<T extends (...args: never[]) => unknown>(helper: T): T {
  immutables.set(helper, ++lastNumber);
  return helper;
}

/** Marks a context that has something JSON cannot describe faithfully. */
class Unkeyable extends Error {}

/**
 * JSON.stringify's replacer. What JSON would write the same for values a template prints differently is
 * tagged under a key no data has ("\u0000…"): a Date (it arrives as its ISO string, toJSON runs first), a
 * number JSON writes as null, a SafeString (printed unescaped), and an immutable object or pure helper (by its number).
 */
function faithful(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (this[key] instanceof Date) return { '\u0000date': value };
  if (typeof value === 'number') return Number.isFinite(value) ? value : { '\u0000number': String(value) };
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol' || typeof value === 'bigint') throw new Unkeyable();
    return value;
  }
  const number = immutables.get(value);
  if (number !== undefined) return { '\u0000immutable': number };
  if (typeof value === 'function') throw new Unkeyable();
  if (value instanceof nunjucks.runtime.SafeString) return { '\u0000safe': String(value) };
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) throw new Unkeyable();
  return value;
}

/** The key of a render, or undefined when the context cannot be keyed faithfully. */
export function renderKey(template: string, context: Record<string, unknown>): string | undefined {
  try {
    const text = JSON.stringify(context, faithful);
    return createHash('sha256').update(template).update('\0').update(text).digest('base64');
  } catch (error) {
    if (error instanceof Unkeyable) return undefined;
    throw error;
  }
}

/** A least-recently-used store of rendered pages, bounded by their total length. */
export class RenderMemo<Page extends { length: number }> {
  private readonly pages = new Map<string, Page>();
  private size = 0;

  constructor(private readonly maxLength: number) {}

  get(key: string): Page | undefined {
    const page = this.pages.get(key);
    if (page !== undefined) {
      // Map iteration order is insertion order: re-inserting makes this the most recently used.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: Page): void {
    if (page.length > this.maxLength || this.pages.has(key)) return;
    this.pages.set(key, page);
    this.size += page.length;
    for (const [oldest, old] of this.pages) {
      if (this.size <= this.maxLength) break;
      this.pages.delete(oldest);
      this.size -= old.length;
    }
  }
}

/**
 * A rendered page as bytes, cut where the per-request values go: sending it is one copy of its bytes,
 * with no search for the placeholders and no encoding of 75 KB of text on every request.
 */
export interface CutPage {
  pieces: Buffer[];
  /** Between piece i and i + 1: true for the CSRF token, false for the nonce. */
  holes: boolean[];
  length: number;
  /** The pieces compressed, each on its own (gzipPage), made when first asked for. */
  deflated?: Buffer[];
}

/** Both placeholders, found in one pass over the page. */
const PLACEHOLDERS = new RegExp(`${CSRF_PLACEHOLDER}|${NONCE_PLACEHOLDER}`, 'g');

export function cutPage(html: string): CutPage {
  const pieces: Buffer[] = [];
  const holes: boolean[] = [];
  let from = 0;
  for (const found of html.matchAll(PLACEHOLDERS)) {
    pieces.push(Buffer.from(html.slice(from, found.index)));
    holes.push(found[0] === CSRF_PLACEHOLDER);
    from = found.index + found[0].length;
  }
  pieces.push(Buffer.from(html.slice(from)));
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return { pieces, holes, length };
}

/** The page for one response: its pieces with this response's CSRF token and nonce between them. */
export function fillPage(page: CutPage, csrfToken: string, nonce: string): Buffer {
  const [token, once] = [Buffer.from(csrfToken), Buffer.from(nonce)];
  const parts = [page.pieces[0]!];
  page.holes.forEach((csrf, i) => parts.push(csrf ? token : once, page.pieces[i + 1]!));
  return Buffer.concat(parts);
}

/** A gzip header: deflate, no name, no time, unknown system. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** A deflate block that stores bytes as they are (a token or a nonce: tens of bytes), not the last block. */
function storedBlock(bytes: Buffer): Buffer {
  const block = Buffer.alloc(5 + bytes.length);
  block.writeUInt16LE(bytes.length, 1);
  block.writeUInt16LE(~bytes.length & 0xffff, 3);
  bytes.copy(block, 5);
  return block;
}

/**
 * The page for one response, gzipped, at the cost of a copy of its compressed bytes and a CRC: each piece
 * is compressed once, on its own and ended on a byte boundary (a full flush; the last piece ends the
 * stream), and this response's token and nonce go between them as stored blocks — the way pigz joins
 * blocks compressed apart into one deflate stream. A page of 250 KB sends about a tenth of that.
 */
export function gzipPage(page: CutPage, csrfToken: string, nonce: string): Buffer {
  const last = page.pieces.length - 1;
  page.deflated ??= page.pieces.map((piece, i) =>
    deflateRawSync(piece, { finishFlush: i < last ? constants.Z_FULL_FLUSH : constants.Z_FINISH }),
  );
  const [token, once] = [Buffer.from(csrfToken), Buffer.from(nonce)];
  const parts = [GZIP_HEADER, page.deflated[0]!];
  let crc = crc32(page.pieces[0]!);
  let size = page.length;
  page.holes.forEach((csrf, i) => {
    const hole = csrf ? token : once;
    parts.push(storedBlock(hole), page.deflated![i + 1]!);
    crc = crc32(page.pieces[i + 1]!, crc32(hole, crc));
    size += hole.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** Whether an Accept-Encoding header takes gzip (named or `*`, with no q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((item) => {
    const [coding, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
