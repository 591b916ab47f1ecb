/**
 * Placing the pieces of a descriptor cell into the descriptor being built, including stitching a statement
 * that a page break cut in two back together.
 *
 * The stitching rule, worked out from both seeds: the first piece of a continuation row's cell continues the
 * previous statement of that descriptor when all three hold —
 *   1. it is loose text: in HTML outside any <li> (004 prints the cut fragment as `<p>retain …</p>` and new
 *      statements as list items); in plain text every unbulleted fragment is loose, so for 000 the next two
 *      conditions decide alone;
 *   2. the previous statement does not end a sentence or clause (. ! ? ; or the : that opens a sub-list) —
 *      cut statements end mid-sentence ("User satisfaction is", "… recruit and");
 *   3. the fragment starts with a lower-case letter ("mixed and …", "retain councillors …").
 * Every cut in the seeds (4.3, 5.1.2, 5.2.1, 5.2.2, 5.2.4, 6.2 twice) meets all three; every new statement at
 * the top of a page ("has engaged …", "can show …") follows a full stop, so it fails rule 2.
 * A statement ending ":" ("… as a result of:") takes the loose text after it as its sub-list instead; 004 marks
 * those items with ▪ (or could nest a list), which makes them sub-items wherever they stand.
 */
import type { CellContent } from './seed-cells.js';

export interface DraftStatement {
  text: string;
  items: string[];
}

export interface DraftDescriptor {
  leadIn?: string;
  statements: DraftStatement[];
}

export interface PlacementContext {
  /** e.g. "5.2.4 promising", for messages. */
  where: string;
  /** Whether the row is a continuation row (empty first cell) after a page break. */
  continuation: boolean;
  warn(message: string): void;
  fail(message: string): void;
}

const ENDS_CLAUSE = /[.!?;:]["'’”)]*$/;
const OPENS_SUB_LIST = /:$/;

export function placeCell(descriptor: DraftDescriptor, cell: CellContent, context: PlacementContext): void {
  if (cell.leadIn !== undefined) {
    if (descriptor.leadIn !== undefined || descriptor.statements.length > 0) {
      context.fail(`${context.where}: a second lead-in "${cell.leadIn}" in the middle of the descriptor`);
    } else {
      descriptor.leadIn = cell.leadIn;
    }
  }
  cell.pieces.forEach((piece, index) => {
    const previous = descriptor.statements.at(-1);
    if (piece.kind === 'subItem') {
      if (previous) previous.items.push(piece.text);
      else context.fail(`${context.where}: sub-item "${shorten(piece.text)}" has no statement above it`);
      return;
    }
    if (piece.kind === 'loose' && previous) {
      if (OPENS_SUB_LIST.test(previous.text)) {
        previous.items.push(piece.text);
        // Plain text has no separators between the items of a sub-list: they cannot be told apart safely.
        if (!cell.html) {
          context.warn(
            `${context.where}: the sub-list after "${shorten(previous.text, -40)}" has no separators between its items; kept as one item`,
          );
        }
        return;
      }
      const firstOfContinuation = context.continuation && index === 0 && cell.leadIn === undefined;
      if (firstOfContinuation && !ENDS_CLAUSE.test(previous.text) && /^[a-z]/.test(piece.text)) {
        previous.text = `${previous.text} ${piece.text}`;
        return;
      }
    }
    if (piece.kind === 'loose' && cell.html) {
      context.warn(`${context.where}: text outside a list item kept as a statement: "${shorten(piece.text)}"`);
    }
    descriptor.statements.push({ text: piece.text, items: [] });
  });
}

/** The first (or, with a negative length, the last) characters of a text, for messages. */
export function shorten(text: string, length = 40): string {
  if (text.length <= Math.abs(length)) return text;
  return length > 0 ? `${text.slice(0, length)}…` : `…${text.slice(length)}`;
}
