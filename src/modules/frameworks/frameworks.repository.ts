import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { FrameworkDocument } from './framework.model.js';
import { frameworks, frameworkStatements, frameworkVersions } from './frameworks.tables.js';

export type FrameworkVersionRow = typeof frameworkVersions.$inferSelect;
export type FrameworkStatementRow = typeof frameworkStatements.$inferInsert;

export interface FrameworkSummaryRow {
  id: string;
  title: string;
  publisher: string | null;
  latestVersion: number;
  versionCount: number;
  lastImportedAt: Date;
}

export async function listFrameworks(db: Database): Promise<FrameworkSummaryRow[]> {
  return db
    .select({
      id: frameworks.id,
      title: frameworks.title,
      publisher: frameworks.publisher,
      latestVersion: sql<number>`max(${frameworkVersions.version})`.mapWith(Number),
      versionCount: sql<number>`count(${frameworkVersions.id})`.mapWith(Number),
      lastImportedAt: sql<Date>`max(${frameworkVersions.importedAt})`.mapWith((value) => new Date(value)),
    })
    .from(frameworks)
    .innerJoin(frameworkVersions, eq(frameworkVersions.frameworkId, frameworks.id))
    .groupBy(frameworks.id)
    .orderBy(frameworks.title);
}

/** Versions of one framework, newest first, without their documents. */
export async function listVersions(db: Database, frameworkId: string) {
  return db
    .select({
      version: frameworkVersions.version,
      contentHash: frameworkVersions.contentHash,
      source: frameworkVersions.source,
      importedAt: frameworkVersions.importedAt,
    })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.frameworkId, frameworkId))
    .orderBy(desc(frameworkVersions.version));
}

/** The given version, or the latest when none is given. */
export async function findVersion(
  db: Database,
  frameworkId: string,
  version?: number,
): Promise<FrameworkVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(frameworkVersions)
    .where(
      version === undefined
        ? eq(frameworkVersions.frameworkId, frameworkId)
        : and(eq(frameworkVersions.frameworkId, frameworkId), eq(frameworkVersions.version, version)),
    )
    .orderBy(desc(frameworkVersions.version))
    .limit(1);
  return row;
}

export async function findVersionByHash(db: Database, frameworkId: string, contentHash: string) {
  const [row] = await db
    .select({ version: frameworkVersions.version })
    .from(frameworkVersions)
    .where(and(eq(frameworkVersions.frameworkId, frameworkId), eq(frameworkVersions.contentHash, contentHash)));
  return row;
}

export async function upsertFramework(db: Database, doc: FrameworkDocument): Promise<void> {
  await db
    .insert(frameworks)
    .values({ id: doc.id, title: doc.title, publisher: doc.publisher ?? null })
    .onConflictDoUpdate({ target: frameworks.id, set: { title: doc.title, publisher: doc.publisher ?? null } });
}

/** Locks the framework's row so that two concurrent imports cannot both claim the same next version. */
export async function lockFramework(db: Database, frameworkId: string): Promise<void> {
  await db.select({ id: frameworks.id }).from(frameworks).where(eq(frameworks.id, frameworkId)).for('update');
}

export async function insertVersion(
  db: Database,
  values: { frameworkId: string; contentHash: string; document: FrameworkDocument; source: string },
): Promise<FrameworkVersionRow> {
  const [latest] = await db
    .select({ version: sql<number>`coalesce(max(${frameworkVersions.version}), 0)`.mapWith(Number) })
    .from(frameworkVersions)
    .where(eq(frameworkVersions.frameworkId, values.frameworkId));
  const [row] = await db
    .insert(frameworkVersions)
    .values({ ...values, version: (latest?.version ?? 0) + 1 })
    .returning();
  return row!;
}

export async function insertStatements(db: Database, rows: FrameworkStatementRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(frameworkStatements).values(rows);
}
