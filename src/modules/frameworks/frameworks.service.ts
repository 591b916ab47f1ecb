/** The rules of the framework catalogue: validated, versioned, immutable imports. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { builtinFrameworksFolder } from '../../paths.js';
import type { FrameworkDocument } from './framework.model.js';
import { readFrameworkFile, validateFrameworkDocument } from './framework-file.js';
import { countFramework, leafKloes, type FrameworkCounts } from './framework.tree.js';
import { frameworkNotFound, frameworkVersionNotFound } from './frameworks.errors.js';
import * as repo from './frameworks.repository.js';

export interface ImportOutcome {
  id: string;
  version: number;
  /** "unchanged" when an identical document was already imported: no new version is made. */
  status: 'created' | 'unchanged';
  counts: FrameworkCounts;
}

export function contentHash(doc: FrameworkDocument): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

/** The statements (and their sub-items) of a document as rows for framework_statements. */
export function statementRows(doc: FrameworkDocument, versionId: number): repo.FrameworkStatementRow[] {
  const rows: repo.FrameworkStatementRow[] = [];
  for (const { kloe } of leafKloes(doc)) {
    for (const descriptor of kloe.descriptors) {
      descriptor.statements.forEach((statement, index) => {
        const base = { versionId, kloeRef: kloe.ref, level: descriptor.level };
        rows.push({ ...base, ref: statement.ref, parentRef: null, position: index + 1, text: statement.text });
        statement.items?.forEach((item, itemIndex) =>
          rows.push({ ...base, ref: item.ref, parentRef: statement.ref, position: itemIndex + 1, text: item.text }),
        );
      });
    }
  }
  return rows;
}

export function createFrameworksService(deps: { db: Database }) {
  const { db } = deps;

  async function getVersion(id: string, version?: number) {
    const row = await repo.findVersion(db, id, version);
    if (row) return row;
    throw version === undefined ? frameworkNotFound(id) : frameworkVersionNotFound(id, version);
  }

  /** Imports a document as a new version, unless an identical one exists. All or nothing. */
  async function importDocument(input: unknown, source: string): Promise<ImportOutcome> {
    const doc = validateFrameworkDocument(input);
    const hash = contentHash(doc);
    const counts = countFramework(doc);
    return db.transaction(async (tx) => {
      await repo.upsertFramework(tx, doc);
      await repo.lockFramework(tx, doc.id);
      const existing = await repo.findVersionByHash(tx, doc.id, hash);
      if (existing) return { id: doc.id, version: existing.version, status: 'unchanged' as const, counts };
      const created = await repo.insertVersion(tx, { frameworkId: doc.id, contentHash: hash, document: doc, source });
      await repo.insertStatements(tx, statementRows(doc, created.id));
      return { id: doc.id, version: created.version, status: 'created' as const, counts };
    });
  }

  return {
    list: () => repo.listFrameworks(db),

    getVersion,

    importDocument,

    async listVersions(id: string) {
      const versions = await repo.listVersions(db, id);
      if (versions.length === 0) throw frameworkNotFound(id);
      return versions;
    },

    /** Loads every catalogue file shipped in frameworks/ (a no-op when they are already in). */
    async ensureBuiltins(): Promise<ImportOutcome[]> {
      const files = (await fs.readdir(builtinFrameworksFolder)).filter(
        (name) => name.endsWith('.json') && !name.endsWith('.schema.json'),
      );
      const outcomes: ImportOutcome[] = [];
      for (const name of files.sort()) {
        const { document } = await readFrameworkFile(path.join(builtinFrameworksFolder, name));
        outcomes.push(await importDocument(document, 'built-in'));
      }
      return outcomes;
    },
  };
}

export type FrameworksService = ReturnType<typeof createFrameworksService>;
