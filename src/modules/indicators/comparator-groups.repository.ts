/** Queries of comparator groups; each takes a connection or a transaction. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { organisations } from '../../db/schema.js';
import { comparatorGroupMembers, comparatorGroups } from './indicators.tables.js';

export type ComparatorGroupRow = typeof comparatorGroups.$inferSelect;

/** Every group by name, with how many members it has (a type group: the organisations of its type now). */
export async function listComparatorGroups(db: Database) {
  return db
    .select({
      id: comparatorGroups.id,
      name: comparatorGroups.name,
      kind: comparatorGroups.kind,
      organisationType: comparatorGroups.organisationType,
      memberCount: sql<number>`case when ${comparatorGroups.kind} = 'type'
        then (select count(*) from ${organisations} o where o.type = ${comparatorGroups.organisationType})
        else (select count(*) from ${comparatorGroupMembers} m where m.group_id = ${comparatorGroups.id}) end::int`,
    })
    .from(comparatorGroups)
    .orderBy(asc(comparatorGroups.name));
}

export async function insertComparatorGroup(
  db: Database,
  group: typeof comparatorGroups.$inferInsert,
  members: { organisationId: string; distance: number | null }[],
): Promise<ComparatorGroupRow> {
  const [row] = await db.insert(comparatorGroups).values(group).returning();
  if (members.length > 0)
    await db.insert(comparatorGroupMembers).values(members.map((m) => ({ ...m, groupId: row!.id })));
  return row!;
}

/** Deletes a group (its members go with it); says whether there was one. */
export async function deleteComparatorGroup(db: Database, id: string): Promise<ComparatorGroupRow | undefined> {
  const [row] = await db.delete(comparatorGroups).where(eq(comparatorGroups.id, id)).returning();
  return row;
}
