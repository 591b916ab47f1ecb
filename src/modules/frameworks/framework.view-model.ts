/** Shapes a framework document for its pages: pure, so the pages stay free of tree-walking logic. */
import type { Descriptor, FrameworkDocument, RatingLevel } from './framework.model.js';
import { countFramework, leafKloes, type LeafKloe } from './framework.tree.js';

export interface DescriptorColumn {
  level: RatingLevel;
  /** Undefined when this KLOE has no descriptor for the level in this version. */
  descriptor: Descriptor | undefined;
}

export interface KloeView extends LeafKloe {
  columns: DescriptorColumn[];
  statementCount: number;
}

export function kloeView(doc: FrameworkDocument, leaf: LeafKloe): KloeView {
  const columns = doc.ratingScale
    .filter((level) => level.hasDescriptor)
    .map((level) => ({ level, descriptor: leaf.kloe.descriptors.find((d) => d.level === level.id) }));
  const statementCount = leaf.kloe.descriptors.reduce((sum, d) => sum + d.statements.length, 0);
  return { ...leaf, columns, statementCount };
}

export function allKloeViews(doc: FrameworkDocument): KloeView[] {
  return leafKloes(doc).map((leaf) => kloeView(doc, leaf));
}

/** The KLOE with its neighbours in document order, for previous/next navigation. */
export function kloeWithNeighbours(doc: FrameworkDocument, ref: string) {
  const views = allKloeViews(doc);
  const index = views.findIndex((view) => view.kloe.ref === ref);
  if (index === -1) return undefined;
  return { view: views[index]!, previous: views[index - 1], next: views[index + 1] };
}

/** "3 key questions, 15 KLOEs, 52 promising and 51 uncertain statements" */
export function describeSize(doc: FrameworkDocument): string {
  const counts = countFramework(doc);
  const statements = doc.ratingScale
    .filter((level) => counts.statements[level.id])
    .map((level) => `${counts.statements[level.id]} ${level.label.toLowerCase()}`);
  const list = new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(statements);
  return `${counts.keyQuestions} key questions, ${counts.kloes} KLOEs, ${list} statements`;
}
