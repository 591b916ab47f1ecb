/** Turning the parser's drafts (statements still without references) into a framework document. */
import { FRAMEWORK_FORMAT, type FrameworkDocument, type Kloe } from './framework.model.js';
import { statementRef } from './framework.tree.js';
import {
  JUDGEMENT_2_DESCRIPTOR_COLUMNS,
  JUDGEMENT_2_FRAMEWORK,
  JUDGEMENT_2_RATING_SCALE,
} from './built-in-framework.js';
import type { DraftDescriptor } from './seed-statements.js';

export interface SeedParseOptions {
  id?: string;
  title?: string;
  publisher?: string;
}

export interface DraftKloe {
  kind: 'kloe';
  ref: string;
  question: string;
  line: number;
  /** One per descriptor column. */
  descriptors: DraftDescriptor[];
}

export interface DraftGroup {
  kind: 'group';
  ref: string;
  question: string;
  line: number;
  kloes: DraftKloe[];
}

export interface DraftKeyQuestion {
  ref: string;
  title: string;
  line: number;
  children: (DraftKloe | DraftGroup)[];
}

export function buildFramework(keyQuestions: DraftKeyQuestion[], options: SeedParseOptions): FrameworkDocument {
  // Keys in the order of frameworkDocumentSchema, so that the output serialises exactly as a validated document.
  return {
    format: FRAMEWORK_FORMAT,
    id: options.id ?? JUDGEMENT_2_FRAMEWORK.id,
    title: options.title ?? JUDGEMENT_2_FRAMEWORK.title,
    publisher: options.publisher ?? JUDGEMENT_2_FRAMEWORK.publisher,
    ratingScale: JUDGEMENT_2_RATING_SCALE.map((level) => ({ ...level })),
    keyQuestions: keyQuestions.map((keyQuestion) => ({
      ref: keyQuestion.ref,
      title: keyQuestion.title,
      children: keyQuestion.children.map((child) =>
        child.kind === 'kloe'
          ? buildKloe(child)
          : { kind: 'group' as const, ref: child.ref, question: child.question, kloes: child.kloes.map(buildKloe) },
      ),
    })),
  };
}

function buildKloe(draft: DraftKloe): Kloe {
  const descriptors = draft.descriptors.flatMap((descriptor, column) => {
    if (descriptor.statements.length === 0) return [];
    const level = JUDGEMENT_2_DESCRIPTOR_COLUMNS[column]!;
    const code = JUDGEMENT_2_RATING_SCALE.find((candidate) => candidate.id === level)!.code;
    const statements = descriptor.statements.map((statement, index) => {
      const ref = statementRef(draft.ref, code, index + 1);
      const items = statement.items.map((text, itemIndex) => ({ ref: `${ref}.${itemIndex + 1}`, text }));
      return { ref, text: statement.text, ...(items.length > 0 ? { items } : {}) };
    });
    return [{ level, ...(descriptor.leadIn !== undefined ? { leadIn: descriptor.leadIn } : {}), statements }];
  });
  return { kind: 'kloe', ref: draft.ref, question: draft.question, descriptors };
}
