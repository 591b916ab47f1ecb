/** Queries for custom report templates; the bytes are read only when a template is downloaded or filled. */
import { asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { organisations } from '../../db/schema.js';
import type { TemplateScope } from './report-templates.policy.js';
import { reportTemplates } from './reports.tables.js';

export type TemplateRow = typeof reportTemplates.$inferSelect;
export type NewTemplate = typeof reportTemplates.$inferInsert;

/** A template without its bytes, with its organisation's name (null: shared). */
const summaryColumns = {
  id: reportTemplates.id,
  organisationId: reportTemplates.organisationId,
  organisationName: organisations.name,
  name: reportTemplates.name,
  description: reportTemplates.description,
  size: reportTemplates.size,
  sha256: reportTemplates.sha256,
  placeholders: reportTemplates.placeholders,
  createdAt: reportTemplates.createdAt,
};

const scopeCondition = (scope: TemplateScope) =>
  scope.kind === 'all'
    ? undefined
    : scope.organisationId
      ? or(isNull(reportTemplates.organisationId), eq(reportTemplates.organisationId, scope.organisationId))
      : isNull(reportTemplates.organisationId);

export type TemplateSummary = Awaited<ReturnType<typeof listTemplates>>[number];

/** Shared templates first, then by organisation and name. */
export async function listTemplates(db: Database, scope: TemplateScope) {
  return db
    .select(summaryColumns)
    .from(reportTemplates)
    .leftJoin(organisations, eq(organisations.id, reportTemplates.organisationId))
    .where(scopeCondition(scope))
    .orderBy(sql`${reportTemplates.organisationId} is not null`, asc(organisations.name), asc(reportTemplates.name));
}

/** The templates an assessment of this organisation may use: shared ones and the organisation's own. */
export async function listUsable(db: Database, organisationId: string): Promise<TemplateSummary[]> {
  return listTemplates(db, { kind: 'sharedAnd', organisationId });
}

export async function findTemplate(db: Database, id: string): Promise<TemplateRow | undefined> {
  const [row] = await db.select().from(reportTemplates).where(eq(reportTemplates.id, id));
  return row;
}

export async function findSummary(db: Database, id: string): Promise<TemplateSummary | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(reportTemplates)
    .leftJoin(organisations, eq(organisations.id, reportTemplates.organisationId))
    .where(eq(reportTemplates.id, id));
  return row;
}

export async function insertTemplate(db: Database, values: NewTemplate): Promise<TemplateRow> {
  const [row] = await db.insert(reportTemplates).values(values).returning();
  return row!;
}

export async function deleteTemplate(db: Database, id: string): Promise<void> {
  await db.delete(reportTemplates).where(eq(reportTemplates.id, id));
}

/** Organisations an administrator may upload a template for, by name. */
export async function organisationChoices(db: Database): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .orderBy(asc(organisations.name));
}
