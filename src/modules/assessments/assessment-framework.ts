/**
 * The framework version an assessment is pinned to, and what of it the assessment covers. Framework
 * versions are immutable, so their documents are cached in the process once read.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { FrameworkDocument, Statement } from '../frameworks/index.js';
import { leafKloes, type LeafKloe } from '../frameworks/index.js';
import { frameworkVersions } from '../../db/schema.js';
import { immutableContent } from '../../web/render-memo.js';
import { DEFAULT_JUDGEMENT_RULES, type JudgementRules } from '../frameworks/index.js';

/** By content hash: ids are per database, and one process may hold several (the tests do). */
const documents = new Map<string, FrameworkDocument>();
/** By version id, per database handle: saves even the hash lookup on the pages' hot path. */
const byVersionId = new WeakMap<Database, Map<number, FrameworkDocument>>();

export async function pinnedFramework(db: Database, versionId: number): Promise<FrameworkDocument> {
  const known = byVersionId.get(db)?.get(versionId);
  if (known) return known;
  const doc = await readPinnedFramework(db, versionId);
  if (!byVersionId.has(db)) byVersionId.set(db, new Map());
  byVersionId.get(db)!.set(versionId, doc);
  return doc;
}

async function readPinnedFramework(db: Database, versionId: number): Promise<FrameworkDocument> {
  const [version] = await db
    .select({ hash: frameworkVersions.contentHash })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.id, versionId));
  if (!version) throw new Error(`framework version ${versionId} is missing`);
  const cached = documents.get(version.hash);
  if (cached) return cached;
  const [row] = await db
    .select({ document: frameworkVersions.document })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.id, versionId));
  // Frozen from here on: pages showing it are remembered by its name (web/render-memo.ts).
  const doc = immutableContent(row!.document);
  documents.set(version.hash, doc);
  return doc;
}

/** The best-fit and roll-up rules live with the framework; a framework without its own uses the defaults. */
export function rulesOf(doc: FrameworkDocument): JudgementRules {
  return doc.judgementRules ?? DEFAULT_JUDGEMENT_RULES;
}

/**
 * Turns a scope as people write it (key questions "5", groups "5.2", KLOEs "5.2.1") into leaf KLOE refs in
 * framework order. Unknown refs are returned so the caller can name them. An empty scope means everything.
 */
export function expandScope(doc: FrameworkDocument, refs: string[]): { kloeRefs: string[] | null; unknown: string[] } {
  const wanted = refs.map((r) => r.trim()).filter((r) => r !== '');
  if (wanted.length === 0) return { kloeRefs: null, unknown: [] };
  const leaves = leafKloes(doc);
  const covers = (ref: string, leaf: LeafKloe) =>
    leaf.kloe.ref === ref || leaf.group?.ref === ref || leaf.keyQuestion.ref === ref;
  const unknown = wanted.filter((ref) => !leaves.some((leaf) => covers(ref, leaf)));
  const kloeRefs = leaves.filter((leaf) => wanted.some((ref) => covers(ref, leaf))).map((leaf) => leaf.kloe.ref);
  // Everything chosen is the same as no restriction: store it as such.
  return { kloeRefs: kloeRefs.length === leaves.length ? null : kloeRefs, unknown };
}

/** The leaf KLOEs an assessment covers, in framework order. */
export function kloesInScope(doc: FrameworkDocument, scope: string[] | null): LeafKloe[] {
  const leaves = leafKloes(doc);
  return scope === null ? leaves : leaves.filter((leaf) => scope.includes(leaf.kloe.ref));
}

/** The key questions an assessment covers (those with a KLOE in scope), in framework order. */
export function keyQuestionsInScope(doc: FrameworkDocument, scope: string[] | null) {
  const inScope = new Set(kloesInScope(doc, scope).map((leaf) => leaf.keyQuestion.ref));
  return doc.keyQuestions.filter((kq) => inScope.has(kq.ref));
}

/** The roll-up nodes of an assessment: its key questions, then the overall judgement. */
export const OVERALL = 'overall';
export function rollUpNodes(doc: FrameworkDocument, scope: string[] | null): string[] {
  return [...keyQuestionsInScope(doc, scope).map((kq) => kq.ref), OVERALL];
}

export interface KloeStatement {
  ref: string;
  level: string;
  statement: Statement;
}

/** A KLOE's statements, each with the rating level of the descriptor it belongs to (sub-items stay inside). */
/** By KLOE, for a pinned (frozen) framework's KLOEs: every page asks for them, for every KLOE. */
const statementsByKloe = new WeakMap<object, readonly KloeStatement[]>();

export function statementsOf(leaf: LeafKloe): readonly KloeStatement[] {
  const known = statementsByKloe.get(leaf.kloe);
  if (known) return known;
  const statements = leaf.kloe.descriptors.flatMap((descriptor) =>
    descriptor.statements.map((statement) => ({ ref: statement.ref, level: descriptor.level, statement })),
  );
  if (Object.isFrozen(leaf.kloe)) statementsByKloe.set(leaf.kloe, Object.freeze(statements));
  return statements;
}
