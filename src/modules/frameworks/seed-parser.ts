/**
 * The seed-document parser: turns the KLOE table extracted from the Judgement 2 PDF into a framework document.
 * The input has tab-separated rows (KLOE, promising descriptor, uncertain descriptor) whose cells are plain
 * text or HTML lists; every page repeats a title and the header row, and a statement cut by a page break goes
 * on in the next row, whose first cell is empty. Pure: no I/O. Content it cannot place is a SeedImportError
 * naming the line; legitimate but notable gaps (a KLOE without a descriptor) are warnings.
 */
import type { FrameworkDocument } from './framework.model.js';
import { JUDGEMENT_2_DESCRIPTOR_COLUMNS } from './built-in-framework.js';
import { cellText, readCell, type CellContent } from './seed-cells.js';
import {
  buildFramework,
  type DraftGroup,
  type DraftKeyQuestion,
  type DraftKloe,
  type SeedParseOptions,
} from './seed-framework.js';
import { placeCell, shorten } from './seed-statements.js';

export interface ImportProblem {
  /** 1-based line of the input. */
  line: number;
  message: string;
}

export interface SeedParseResult {
  framework: FrameworkDocument;
  warnings: ImportProblem[];
}

export type { SeedParseOptions };

export class SeedImportError extends Error {
  override readonly name = 'SeedImportError';
  readonly problems: ImportProblem[];

  constructor(problems: ImportProblem[]) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`line ${first.line}: ${first.message}${more}`);
    this.problems = problems;
  }
}

/** "Key Question 4 - What is …", as a page heading ("#### …") or a plain line. */
const KEY_QUESTION = /^#*\s*Key Question\s+(\d+)\s*[-–—]\s*(\S.*)$/i;
/** Markdown headings and the document title, repeated on every page. */
const PAGE_TITLE = /^(?:#|Service Inspection Key Lines of Enquiry\b|Judgement \d+\b)/i;
/** Also matches 000's variant with a tab after "KEY". */
const HEADER_ROW = /^KEY LINE OF ENQUIRY\b/i;
const KLOE_START = /^(\d+(?:\.\d+)+)\s+(\S.*)$/;
const BARE_REF = /^\d+(?:\.\d+)+$/;
const COLUMNS = 1 + JUDGEMENT_2_DESCRIPTOR_COLUMNS.length;

export function parseSeedDocument(text: string, options: SeedParseOptions = {}): SeedParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const binaryLine = lines.findIndex((line) => line.includes('\u0000'));
  if (binaryLine >= 0) {
    throw new SeedImportError([{ line: binaryLine + 1, message: 'binary data (a NUL byte), not a KLOE table' }]);
  }
  if (text.trim() === '') throw new SeedImportError([{ line: 1, message: 'the document is empty' }]);

  const table = new SeedTable();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (!raw.includes('\t')) return table.textLine(line, raw.trim());
    const cells = raw.split('\t');
    if (HEADER_ROW.test(cellText(cells.join(' ')))) return table.headerRow();
    table.tableRow(line, cells);
  });
  const { keyQuestions, warnings } = table.finish();
  return { framework: buildFramework(keyQuestions, options), warnings };
}

/** Walks the lines in order, keeping track of where in the tree the next row goes. */
class SeedTable {
  private readonly keyQuestions: DraftKeyQuestion[] = [];
  private readonly problems: ImportProblem[] = [];
  private readonly warnings: ImportProblem[] = [];
  private readonly kloeLines = new Map<string, number>();
  private headerSeen = false;
  private keyQuestion?: DraftKeyQuestion;
  private group?: DraftGroup;
  private kloe?: DraftKloe;
  private lastRef?: string;
  /** After a KLOE row that could not be placed: its continuation rows are skipped rather than misplaced. */
  private skipping = false;

  textLine(line: number, text: string): void {
    const keyQuestion = KEY_QUESTION.exec(text);
    if (keyQuestion) return this.startKeyQuestion(line, keyQuestion[1]!, keyQuestion[2]!.trim());
    if (PAGE_TITLE.test(text)) return;
    this.fail(line, `cannot place "${shorten(text)}": not a page title, key question or table row`);
  }

  headerRow(): void {
    this.headerSeen = true;
  }

  tableRow(line: number, rawCells: string[]): void {
    if (!this.headerSeen) return this.fail(line, 'a table row before any header row ("KEY LINE OF ENQUIRY (KLOE) …")');
    // 000 has "5.2.3<tab>Are effective …": the KLOE number and its question split into two cells.
    const cells =
      rawCells.length > COLUMNS && BARE_REF.test(cellText(rawCells[0]!))
        ? [`${rawCells[0]} ${rawCells[1]}`, ...rawCells.slice(2)]
        : rawCells;
    if (cells.length !== COLUMNS) {
      return this.fail(line, `expected ${COLUMNS} columns (KLOE, promising, uncertain) but found ${cells.length}`);
    }
    const first = cellText(cells[0]!);
    const contents = cells.slice(1).map(readCell);
    if (first === '') return this.continuationRow(line, contents);
    const kloe = KLOE_START.exec(first);
    if (kloe) return this.kloeRow(line, kloe[1]!, kloe[2]!, contents);
    this.skipping = true;
    this.fail(line, `cannot read a KLOE number at the start of "${shorten(first)}"`);
  }

  finish(): { keyQuestions: DraftKeyQuestion[]; warnings: ImportProblem[] } {
    if (!this.headerSeen) {
      this.problems.unshift({ line: 1, message: 'no header row ("KEY LINE OF ENQUIRY (KLOE) …"): not a KLOE table' });
    } else if (this.keyQuestions.length === 0) {
      this.fail(1, 'no key question ("Key Question 4 - …") found');
    }
    for (const keyQuestion of this.keyQuestions) {
      if (keyQuestion.children.length === 0)
        this.fail(keyQuestion.line, `key question ${keyQuestion.ref} has no KLOEs`);
      for (const child of keyQuestion.children) {
        if (child.kind === 'group' && child.kloes.length === 0)
          this.fail(child.line, `group ${child.ref} has no KLOEs`);
        for (const kloe of child.kind === 'group' ? child.kloes : [child]) this.warnMissingDescriptors(kloe);
      }
    }
    if (this.problems.length > 0) throw new SeedImportError(byLine(this.problems));
    return { keyQuestions: this.keyQuestions, warnings: byLine(this.warnings) };
  }

  private startKeyQuestion(line: number, ref: string, title: string): void {
    const keyQuestion: DraftKeyQuestion = { ref, title, line, children: [] };
    const previous = this.keyQuestions.at(-1);
    const first = this.keyQuestions.find((kq) => kq.ref === ref);
    if (first) this.fail(line, `key question ${ref} appears twice (first on line ${first.line})`);
    else if (previous && Number(ref) < Number(previous.ref)) {
      this.fail(line, `key question ${ref} is out of order (after ${previous.ref})`);
    } else this.keyQuestions.push(keyQuestion);
    // A rejected key question still takes the KLOEs below it, so that they are not reported a second time.
    this.keyQuestion = keyQuestion;
    this.group = undefined;
    this.kloe = undefined;
    this.skipping = false;
  }

  private kloeRow(line: number, ref: string, question: string, contents: CellContent[]): void {
    const problem = this.misplacement(ref);
    if (problem) {
      this.kloe = undefined;
      this.skipping = true;
      return this.fail(line, problem);
    }
    const keyQuestion = this.keyQuestion!;
    this.skipping = false;
    this.kloeLines.set(ref, line);
    this.lastRef = ref;
    const isTopLevel = ref.split('.').length === 2;
    const isEmpty = contents.every((cell) => cell.leadIn === undefined && cell.pieces.length === 0);
    if (isTopLevel && isEmpty) {
      // A row with a question and no descriptors heads a group of KLOEs (5.1, 5.2).
      this.group = { kind: 'group', ref, question, line, kloes: [] };
      keyQuestion.children.push(this.group);
      this.kloe = undefined;
      return;
    }
    const kloe: DraftKloe = {
      kind: 'kloe',
      ref,
      question,
      line,
      descriptors: contents.map(() => ({ statements: [] })),
    };
    if (isTopLevel) {
      keyQuestion.children.push(kloe);
      this.group = undefined;
    } else this.group!.kloes.push(kloe);
    this.kloe = kloe;
    this.place(line, contents, false);
  }

  /** Why a KLOE number cannot go where it stands, if it cannot. */
  private misplacement(ref: string): string | undefined {
    if (!this.keyQuestion) return `KLOE ${ref} comes before any key question`;
    const firstLine = this.kloeLines.get(ref);
    if (firstLine !== undefined) return `KLOE ${ref} appears twice (first on line ${firstLine})`;
    const parts = ref.split('.');
    if (Number(parts[0]) !== Number(this.keyQuestion.ref)) {
      return `KLOE ${ref} does not belong to key question ${this.keyQuestion.ref}`;
    }
    if (this.lastRef && compareRefs(ref, this.lastRef) < 0)
      return `KLOE ${ref} is out of order (after ${this.lastRef})`;
    if (parts.length > 3) return `KLOE ${ref} is nested deeper than a KLOE group`;
    const parent = parts.slice(0, 2).join('.');
    if (parts.length === 3 && this.group?.ref !== parent) return `KLOE ${ref} has no group ${parent} above it`;
    return undefined;
  }

  private continuationRow(line: number, contents: CellContent[]): void {
    if (this.skipping) return;
    if (this.kloe) return this.place(line, contents, true);
    this.fail(
      line,
      this.group
        ? `a continuation row (empty first cell) after group ${this.group.ref}, which has no descriptors`
        : 'a continuation row (empty first cell) with no KLOE above it to continue',
    );
  }

  private place(line: number, contents: CellContent[], continuation: boolean): void {
    const kloe = this.kloe!;
    contents.forEach((cell, column) =>
      placeCell(kloe.descriptors[column]!, cell, {
        where: `${kloe.ref} ${JUDGEMENT_2_DESCRIPTOR_COLUMNS[column]}`,
        continuation,
        warn: (message) => this.warnings.push({ line, message }),
        fail: (message) => this.fail(line, message),
      }),
    );
  }

  private warnMissingDescriptors(kloe: DraftKloe): void {
    kloe.descriptors.forEach((descriptor, column) => {
      if (descriptor.statements.length > 0) return;
      const level = JUDGEMENT_2_DESCRIPTOR_COLUMNS[column];
      this.warnings.push({ line: kloe.line, message: `KLOE ${kloe.ref} has no ${level} descriptor` });
    });
  }

  private fail(line: number, message: string): void {
    this.problems.push({ line, message });
  }
}

/** Numeric order of KLOE numbers: 5.1 < 5.1.1 < 5.1.2 < 5.2 < 10.1. */
function compareRefs(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  }
  return left.length - right.length;
}

function byLine(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
