/** Pure helpers over a framework document: walking the tree and checking that it holds together. */
import type { FrameworkDocument, Kloe, KloeGroup, KeyQuestion, Statement } from './framework.model.js';

export interface LeafKloe {
  keyQuestion: KeyQuestion;
  group?: KloeGroup;
  kloe: Kloe;
}

/** Every leaf KLOE in document order, with the key question (and group) it sits under. */
export function leafKloes(doc: FrameworkDocument): LeafKloe[] {
  const out: LeafKloe[] = [];
  for (const keyQuestion of doc.keyQuestions) {
    for (const child of keyQuestion.children) {
      if (child.kind === 'kloe') out.push({ keyQuestion, kloe: child });
      else for (const kloe of child.kloes) out.push({ keyQuestion, group: child, kloe });
    }
  }
  return out;
}

export function findKloe(doc: FrameworkDocument, ref: string): LeafKloe | undefined {
  return leafKloes(doc).find((leaf) => leaf.kloe.ref === ref);
}

export interface FrameworkCounts {
  keyQuestions: number;
  groups: number;
  kloes: number;
  /** Statements per rating level id. */
  statements: Record<string, number>;
  subItems: number;
}

export function countFramework(doc: FrameworkDocument): FrameworkCounts {
  const statements: Record<string, number> = {};
  let subItems = 0;
  const leaves = leafKloes(doc);
  for (const { kloe } of leaves) {
    for (const descriptor of kloe.descriptors) {
      statements[descriptor.level] = (statements[descriptor.level] ?? 0) + descriptor.statements.length;
      for (const statement of descriptor.statements) subItems += statement.items?.length ?? 0;
    }
  }
  const groups = doc.keyQuestions.flatMap((kq) => kq.children).filter((c) => c.kind === 'group').length;
  return { keyQuestions: doc.keyQuestions.length, groups, kloes: leaves.length, statements, subItems };
}

/** The reference a statement at 1-based `position` of `level` under `kloeRef` must carry. */
export function statementRef(kloeRef: string, levelCode: string, position: number): string {
  return `${kloeRef}-${levelCode}${position}`;
}

/**
 * Rules the schema alone cannot express. Returns one message per problem (empty when sound):
 * refs unique and nested under their parent, descriptors only for levels that have them,
 * statement and sub-item references following their position.
 */
export function checkFrameworkIntegrity(doc: FrameworkDocument): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const levels = new Map(doc.ratingScale.map((level) => [level.id, level]));
  if (levels.size !== doc.ratingScale.length) problems.push('ratingScale: level ids must be unique');
  const codes = new Set(doc.ratingScale.map((level) => level.code));
  if (codes.size !== doc.ratingScale.length) problems.push('ratingScale: level codes must be unique');

  const claim = (ref: string, parent: string | undefined) => {
    if (seen.has(ref)) problems.push(`${ref}: reference used twice`);
    seen.add(ref);
    if (parent !== undefined && !ref.startsWith(`${parent}.`)) problems.push(`${ref}: must sit under ${parent}`);
  };
  const checkStatements = (kloe: Kloe, levelId: string, statements: Statement[]) => {
    const level = levels.get(levelId);
    if (!level) return problems.push(`${kloe.ref}: descriptor for unknown level "${levelId}"`);
    if (!level.hasDescriptor) problems.push(`${kloe.ref}: level "${levelId}" takes no descriptor`);
    statements.forEach((statement, index) => {
      const expected = statementRef(kloe.ref, level.code, index + 1);
      if (statement.ref !== expected) problems.push(`${statement.ref}: expected reference ${expected}`);
      statement.items?.forEach((item, itemIndex) => {
        const expectedItem = `${expected}.${itemIndex + 1}`;
        if (item.ref !== expectedItem) problems.push(`${item.ref}: expected reference ${expectedItem}`);
      });
    });
  };

  for (const keyQuestion of doc.keyQuestions) {
    claim(keyQuestion.ref, undefined);
    for (const child of keyQuestion.children) {
      claim(child.ref, keyQuestion.ref);
      const kloes = child.kind === 'kloe' ? [child] : child.kloes;
      for (const kloe of kloes) {
        if (child.kind === 'group') claim(kloe.ref, child.ref);
        const levelIds = new Set<string>();
        for (const descriptor of kloe.descriptors) {
          if (levelIds.has(descriptor.level)) problems.push(`${kloe.ref}: two descriptors for "${descriptor.level}"`);
          levelIds.add(descriptor.level);
          checkStatements(kloe, descriptor.level, descriptor.statements);
        }
      }
    }
  }
  return problems;
}
