/** Data access for an assessment's team, and for the people a team or a change names. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { assessmentTeam, type TeamRole } from './assessments.tables.js';

export async function listTeam(db: Database, assessmentId: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: assessmentTeam.role })
    .from(assessmentTeam)
    .innerJoin(users, eq(users.id, assessmentTeam.userId))
    .where(eq(assessmentTeam.assessmentId, assessmentId))
    .orderBy(asc(assessmentTeam.role), asc(users.name));
}
export type TeamMemberRow = Awaited<ReturnType<typeof listTeam>>[number];

export async function teamRoleOf(db: Database, assessmentId: string, userId: string): Promise<TeamRole | undefined> {
  const [row] = await db
    .select({ role: assessmentTeam.role })
    .from(assessmentTeam)
    .where(and(eq(assessmentTeam.assessmentId, assessmentId), eq(assessmentTeam.userId, userId)));
  return row?.role;
}

export async function replaceTeam(
  db: Database,
  assessmentId: string,
  team: { userId: string; role: TeamRole }[],
): Promise<void> {
  await db.delete(assessmentTeam).where(eq(assessmentTeam.assessmentId, assessmentId));
  if (team.length > 0) await db.insert(assessmentTeam).values(team.map((m) => ({ assessmentId, ...m })));
}

export async function findUsers(db: Database, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      organisationId: users.organisationId,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(inArray(users.id, ids));
}

export async function userLabel(db: Database, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [row] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, id));
  return row ? `${row.name} <${row.email}>` : null;
}
