/**
 * What differs between two framework documents — two seeds, two stored versions, a file and the catalogue:
 * nodes matched by reference, statements by position (which is their reference), in document order. Pure.
 */
import type { Descriptor, FrameworkDocument, KeyQuestion, Kloe, RatingLevel, Statement } from './framework.model.js';

export interface FrameworkDifference {
  /** Where: a key question, KLOE or statement reference, "framework" or "rating scale". */
  ref: string;
  /** added: only in B; removed: only in A; changed: in both but different. */
  kind: 'added' | 'removed' | 'changed';
  /** What differs, e.g. "statement", "promising descriptor", "question". */
  what: string;
  a?: string;
  b?: string;
  /** For a change, the words that changed ("councilllors → councillors"); otherwise a short note. */
  detail?: string;
}

type Child = KeyQuestion['children'][number];

export function diffFrameworks(a: FrameworkDocument, b: FrameworkDocument): FrameworkDifference[] {
  const out: FrameworkDifference[] = [];
  compareText(out, 'framework', 'id', a.id, b.id);
  compareText(out, 'framework', 'title', a.title, b.title);
  compareText(out, 'framework', 'publisher', a.publisher, b.publisher);
  diffRatingScale(out, a.ratingScale, b.ratingScale);
  for (const [ref, x, y] of pairUp(a.keyQuestions, b.keyQuestions, (kq) => kq.ref)) {
    if (!x || !y) {
      out.push(onlyIn(x ? 'a' : 'b', ref, 'key question', (x ?? y)!.title));
      continue;
    }
    compareText(out, ref, 'key question title', x.title, y.title);
    for (const [childRef, p, q] of pairUp(x.children, y.children, (child) => child.ref)) {
      diffChild(out, childRef, p, q);
    }
  }
  return out;
}

function diffChild(out: FrameworkDifference[], ref: string, a: Child | undefined, b: Child | undefined): void {
  if (!a || !b) {
    const child = (a ?? b)!;
    out.push(onlyIn(a ? 'a' : 'b', ref, noun(child), child.question));
    return;
  }
  if (a.kind !== b.kind) out.push({ ref, kind: 'changed', what: 'kind', a: noun(a), b: noun(b) });
  compareText(out, ref, 'question', a.question, b.question);
  if (a.kind === 'group' && b.kind === 'group') {
    for (const [kloeRef, x, y] of pairUp(a.kloes, b.kloes, (kloe) => kloe.ref)) diffChild(out, kloeRef, x, y);
  }
  if (a.kind === 'kloe' && b.kind === 'kloe') diffDescriptors(out, a, b);
}

function diffDescriptors(out: FrameworkDifference[], a: Kloe, b: Kloe): void {
  for (const [level, x, y] of pairUp(a.descriptors, b.descriptors, (descriptor) => descriptor.level)) {
    if (!x || !y) {
      out.push({ ...onlyIn(x ? 'a' : 'b', a.ref, `${level} descriptor`), detail: statementCount((x ?? y)!) });
      continue;
    }
    compareText(out, a.ref, `${level} lead-in`, x.leadIn, y.leadIn);
    for (let i = 0; i < Math.max(x.statements.length, y.statements.length); i++) {
      diffStatement(out, x.statements[i], y.statements[i]);
    }
  }
}

function diffStatement(out: FrameworkDifference[], a: Statement | undefined, b: Statement | undefined): void {
  const ref = (b ?? a)!.ref;
  if (!a || !b) {
    out.push(onlyIn(a ? 'a' : 'b', ref, 'statement', (a ?? b)!.text));
    return;
  }
  compareText(out, ref, 'statement', a.text, b.text);
  const aItems = a.items ?? [];
  const bItems = b.items ?? [];
  for (let i = 0; i < Math.max(aItems.length, bItems.length); i++) {
    const itemRef = (bItems[i] ?? aItems[i])!.ref;
    compareText(out, itemRef, 'sub-item', aItems[i]?.text, bItems[i]?.text);
  }
}

function diffRatingScale(out: FrameworkDifference[], a: RatingLevel[], b: RatingLevel[]): void {
  const ref = 'rating scale';
  const pairs = pairUp(a, b, (level) => level.id);
  for (const [id, x, y] of pairs) {
    if (!x || !y) {
      out.push(onlyIn(x ? 'a' : 'b', ref, `level "${id}"`, (x ?? y)!.label));
      continue;
    }
    compareText(out, ref, `"${id}" label`, x.label, y.label);
    compareText(out, ref, `"${id}" code`, x.code, y.code);
    compareText(out, ref, `"${id}" description`, x.description, y.description);
    compareText(out, ref, `"${id}" has a descriptor`, String(x.hasDescriptor), String(y.hasDescriptor));
  }
  const common = pairs.filter(([, x, y]) => x && y).map(([id]) => id);
  const orderA = a.map((level) => level.id).filter((id) => common.includes(id));
  const orderB = b.map((level) => level.id).filter((id) => common.includes(id));
  if (orderA.join() !== orderB.join()) {
    const [before, after] = [orderA.join(', '), orderB.join(', ')];
    out.push({ ref, kind: 'changed', what: 'order of levels', a: before, b: after, detail: `${before} → ${after}` });
  }
}

/** Records a difference between two optional texts, if there is one. */
function compareText(out: FrameworkDifference[], ref: string, what: string, a?: string, b?: string): void {
  if (a === b) return;
  if (a === undefined) out.push(onlyIn('b', ref, what, b));
  else if (b === undefined) out.push(onlyIn('a', ref, what, a));
  else out.push({ ref, kind: 'changed', what, a, b, detail: describeWordChanges(a, b) });
}

/** Something present in one document only: removed when only in A, added when only in B. */
function onlyIn(side: 'a' | 'b', ref: string, what: string, text?: string): FrameworkDifference {
  if (side === 'a') return { ref, kind: 'removed', what, ...(text !== undefined ? { a: text } : {}) };
  return { ref, kind: 'added', what, ...(text !== undefined ? { b: text } : {}) };
}

function noun(child: Child): string {
  return child.kind === 'group' ? 'KLOE group' : 'KLOE';
}

function statementCount(descriptor: Descriptor): string {
  const n = descriptor.statements.length;
  return `${n} statement${n === 1 ? '' : 's'}`;
}

/**
 * Pairs the items of A and B by key, in document order: A's order, with each item found only in B placed
 * just before the next item that B shares with A (or at the end).
 */
function pairUp<T>(as: T[], bs: T[], key: (item: T) => string): [string, T | undefined, T | undefined][] {
  const inA = new Map(as.map((item) => [key(item), item]));
  const inB = new Map(bs.map((item) => [key(item), item]));
  const bKeys = [...inB.keys()];
  const order: string[] = [];
  let next = 0;
  const takeFromB = (upTo: number) => {
    for (; next < upTo; next++) if (!inA.has(bKeys[next]!)) order.push(bKeys[next]!);
  };
  for (const k of inA.keys()) {
    const at = bKeys.indexOf(k, next);
    if (at >= 0) {
      takeFromB(at);
      next = at + 1;
    }
    order.push(k);
  }
  takeFromB(bKeys.length);
  return order.map((k) => [k, inA.get(k), inB.get(k)]);
}

const MAX_HUNKS = 4;
/** Word-level comparison costs length(a) × length(b); beyond this the texts are simply called rewritten. */
const MAX_COMPARISON = 1_000_000;

/**
 * A compact account of the words that changed: "councilllors → councillors; + and/or; - the".
 * Words are compared by a longest common subsequence after trimming the common start and end.
 */
export function describeWordChanges(a: string, b: string): string {
  const x = a.split(/\s+/).filter(Boolean);
  const y = b.split(/\s+/).filter(Boolean);
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  const from = x.slice(start, x.length - end);
  const to = y.slice(start, y.length - end);
  if (from.length === 0 && to.length === 0) return 'whitespace only';
  if (from.length * to.length > MAX_COMPARISON) return 'rewritten';

  // common[i][j]: length of the longest common subsequence of from[i..] and to[j..].
  const common = Array.from({ length: from.length + 1 }, () => new Array<number>(to.length + 1).fill(0));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      common[i]![j] = from[i] === to[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const hunks: string[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    if (removed.length > 0 && added.length > 0) hunks.push(`${clipWords(removed)} → ${clipWords(added)}`);
    else if (removed.length > 0) hunks.push(`- ${clipWords(removed)}`);
    else if (added.length > 0) hunks.push(`+ ${clipWords(added)}`);
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && from[i] === to[j]) {
      flush();
      i++;
      j++;
    } else if (j >= to.length || (i < from.length && common[i + 1]![j]! >= common[i]![j + 1]!)) {
      removed.push(from[i++]!);
    } else {
      added.push(to[j++]!);
    }
  }
  flush();
  const more = hunks.length - MAX_HUNKS;
  return hunks.slice(0, MAX_HUNKS).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function clipWords(words: string[]): string {
  return words.length <= 8 ? words.join(' ') : `${words.slice(0, 4).join(' ')} … ${words.slice(-3).join(' ')}`;
}

function clipText(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** One line per difference, for people; "no differences" when there are none. */
export function formatDifferences(differences: FrameworkDifference[]): string {
  if (differences.length === 0) return 'no differences';
  return differences.map(formatDifference).join('\n');
}

function formatDifference(difference: FrameworkDifference): string {
  const { ref, kind, what, a, b, detail } = difference;
  if (kind === 'changed') return `${ref}: ${what} changed: ${detail ?? `${a} → ${b}`}`;
  const text = kind === 'added' ? b : a;
  const note = detail === undefined ? '' : ` (${detail})`;
  const quoted = text === undefined ? '' : `: "${clipText(text, 80)}"`;
  return `${ref}: ${what} only in ${kind === 'added' ? 'B' : 'A'}${note}${quoted}`;
}
