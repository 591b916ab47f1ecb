import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { OrganisationScope } from './organisations.policy.js';
import type { ListFilters } from './organisations.schemas.js';
import { organisations, services } from './organisations.tables.js';

export type OrganisationRow = typeof organisations.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
type OrganisationValues = Pick<OrganisationRow, 'code' | 'name' | 'type' | 'region' | 'attributes'>;
type ServiceValues = Pick<ServiceRow, 'name' | 'description'>;

/** The policy's scope as a condition on organisations.id. */
function withinScope(scope: OrganisationScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'one') return eq(organisations.id, scope.organisationId);
  return sql`false`;
}

/** A LIKE pattern matching the text anywhere, with LIKE's own wildcards in it taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listOrganisations(
  db: Database,
  scope: OrganisationScope,
  filters: ListFilters & { limit: number; offset: number },
): Promise<{ rows: OrganisationRow[]; total: number }> {
  const where = and(
    withinScope(scope),
    filters.q
      ? or(ilike(organisations.name, containing(filters.q)), ilike(organisations.code, containing(filters.q)))
      : undefined,
    filters.type ? eq(organisations.type, filters.type) : undefined,
  );
  const [count] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(organisations)
    .where(where);
  const rows = await db
    .select()
    .from(organisations)
    .where(where)
    .orderBy(asc(organisations.name), asc(organisations.code))
    .limit(filters.limit)
    .offset(filters.offset);
  return { rows, total: count?.n ?? 0 };
}

/** forUpdate locks the row for the rest of the transaction, so that two edits of it cannot interleave. */
export async function findOrganisation(
  db: Database,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrganisationRow | undefined> {
  const query = db.select().from(organisations).where(eq(organisations.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findOrganisationByCode(db: Database, code: string): Promise<OrganisationRow | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.code, code));
  return row;
}

export async function insertOrganisation(db: Database, values: OrganisationValues): Promise<OrganisationRow> {
  const [row] = await db.insert(organisations).values(values).returning();
  return row!;
}

export async function updateOrganisation(
  db: Database,
  id: string,
  values: Partial<OrganisationValues>,
): Promise<OrganisationRow | undefined> {
  const [row] = await db
    .update(organisations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(organisations.id, id))
    .returning();
  return row;
}

export async function listServices(db: Database, organisationId: string): Promise<ServiceRow[]> {
  return db.select().from(services).where(eq(services.organisationId, organisationId)).orderBy(asc(services.name));
}

export async function findService(
  db: Database,
  organisationId: string,
  serviceId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ServiceRow | undefined> {
  const query = db
    .select()
    .from(services)
    .where(and(eq(services.organisationId, organisationId), eq(services.id, serviceId)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertService(
  db: Database,
  values: ServiceValues & { organisationId: string },
): Promise<ServiceRow> {
  const [row] = await db.insert(services).values(values).returning();
  return row!;
}

export async function updateService(db: Database, id: string, values: Partial<ServiceValues>): Promise<ServiceRow> {
  const [row] = await db
    .update(services)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(services.id, id))
    .returning();
  return row!;
}
