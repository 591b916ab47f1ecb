/** Queries of improvement plans, their aims and actions. Each takes `db` or a transaction. */
import { and, asc, eq, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { assessments } from '../../db/schema.js';
import { recommendations } from '../../db/schema.js';
import { indicatorDefinitions, indicatorValues } from '../../db/schema.js';
import { improvementActions, improvementAims, improvementPlans } from './improvement.tables.js';

export type PlanRow = typeof improvementPlans.$inferSelect;
export type AimRow = typeof improvementAims.$inferSelect;
export type ActionRow = typeof improvementActions.$inferSelect;
export type ActionWithOwner = ActionRow & { ownerName: string | null };

export async function findPlan(db: Database, serviceId: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(improvementPlans).where(eq(improvementPlans.serviceId, serviceId));
  return row;
}

/** The service's plan, made on its first aim. */
export async function ensurePlan(db: Database, organisationId: string, serviceId: string): Promise<PlanRow> {
  await db.insert(improvementPlans).values({ organisationId, serviceId }).onConflictDoNothing();
  return (await findPlan(db, serviceId))!;
}

export async function listAims(db: Database, planId: string): Promise<AimRow[]> {
  return db
    .select()
    .from(improvementAims)
    .where(eq(improvementAims.planId, planId))
    .orderBy(asc(improvementAims.position));
}

export async function listActions(db: Database, aimIds: string[]): Promise<ActionWithOwner[]> {
  if (aimIds.length === 0) return [];
  const rows = await db
    .select({ action: improvementActions, ownerName: users.name })
    .from(improvementActions)
    .leftJoin(users, eq(users.id, improvementActions.ownerId))
    .where(inArray(improvementActions.aimId, aimIds))
    .orderBy(asc(improvementActions.position));
  return rows.map((r) => ({ ...r.action, ownerName: r.ownerName }));
}

export async function findAim(db: Database, planId: string, aimId: string): Promise<AimRow | undefined> {
  const [row] = await db
    .select()
    .from(improvementAims)
    .where(and(eq(improvementAims.planId, planId), eq(improvementAims.id, aimId)));
  return row;
}

export async function findAction(db: Database, aimId: string, actionId: string): Promise<ActionRow | undefined> {
  const [row] = await db
    .select()
    .from(improvementActions)
    .where(and(eq(improvementActions.aimId, aimId), eq(improvementActions.id, actionId)));
  return row;
}

type AimFields = Pick<AimRow, 'title' | 'description' | 'kloeRefs' | 'recommendationIds' | 'updatedBy'>;

export async function insertAim(
  db: Database,
  planId: string,
  fields: AimFields & { sourceKey?: string | null },
): Promise<AimRow | undefined> {
  const position = sql`(select coalesce(max(position), 0) + 1 from improvement_aims where plan_id = ${planId})`;
  const [row] = await db
    .insert(improvementAims)
    .values({ planId, position, ...fields })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Changes the aim only at the version read; undefined when someone saved since. */
export async function updateAim(db: Database, aimId: string, version: number, fields: AimFields) {
  const [row] = await db
    .update(improvementAims)
    .set({ ...fields, version: sql`${improvementAims.version} + 1`, updatedAt: new Date() })
    .where(and(eq(improvementAims.id, aimId), eq(improvementAims.version, version)))
    .returning();
  return row;
}

type ActionFields = Omit<
  ActionRow,
  'id' | 'aimId' | 'position' | 'version' | 'updatedAt' | 'statusOverride' | 'statusReason'
>;

export async function insertAction(db: Database, aimId: string, fields: ActionFields): Promise<ActionRow> {
  const position = sql`(select coalesce(max(position), 0) + 1 from improvement_actions where aim_id = ${aimId})`;
  const [row] = await db
    .insert(improvementActions)
    .values({ aimId, position, ...fields })
    .returning();
  return row!;
}

export async function updateAction(db: Database, actionId: string, version: number, fields: ActionFields) {
  const [row] = await db
    .update(improvementActions)
    .set({ ...fields, version: sql`${improvementActions.version} + 1`, updatedAt: new Date() })
    .where(and(eq(improvementActions.id, actionId), eq(improvementActions.version, version)))
    .returning();
  return row;
}

/** Sets the status a person chose (or clears it) at the version read; undefined when someone saved since. */
export async function updateActionStatus(
  db: Database,
  actionId: string,
  version: number,
  fields: Pick<ActionRow, 'statusOverride' | 'statusReason' | 'updatedBy'>,
) {
  const [row] = await db
    .update(improvementActions)
    .set({ ...fields, version: sql`${improvementActions.version} + 1`, updatedAt: new Date() })
    .where(and(eq(improvementActions.id, actionId), eq(improvementActions.version, version)))
    .returning();
  return row;
}

/** Every action of a plan, with its aim: what dependencies are checked against. */
export async function actionsOfPlan(db: Database, planId: string) {
  return db
    .select({
      id: improvementActions.id,
      aimId: improvementActions.aimId,
      title: improvementActions.title,
      dependsOn: improvementActions.dependsOn,
    })
    .from(improvementActions)
    .innerJoin(improvementAims, eq(improvementAims.id, improvementActions.aimId))
    .where(eq(improvementAims.planId, planId))
    .orderBy(asc(improvementAims.position), asc(improvementActions.position));
}

export async function actionOfPlan(db: Database, planId: string, actionId: string) {
  return (await actionsOfPlan(db, planId)).find((a) => a.id === actionId);
}

/** Deletes the aim (and its actions) at the version read; undefined when someone saved since. */
export async function deleteAim(db: Database, aimId: string, version: number) {
  const [row] = await db
    .delete(improvementAims)
    .where(and(eq(improvementAims.id, aimId), eq(improvementAims.version, version)))
    .returning();
  return row;
}

export async function deleteAction(db: Database, actionId: string, version: number) {
  const [row] = await db
    .delete(improvementActions)
    .where(and(eq(improvementActions.id, actionId), eq(improvementActions.version, version)))
    .returning();
  return row;
}

/** The people of an organisation who can own an action (members and viewers not disabled), by name. */
export async function organisationPeople(db: Database, organisationId: string) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.organisationId, organisationId), isNull(users.disabledAt)))
    .orderBy(asc(users.name));
}

/** Indicator definitions (all, or these codes) of which the organisation has at least one value, by code. */
export async function indicatorsWithValues(db: Database, organisationId: string, codes?: string[]) {
  if (codes?.length === 0) return [];
  return db
    .selectDistinct({
      code: indicatorDefinitions.code,
      title: indicatorDefinitions.title,
      polarity: indicatorDefinitions.polarity,
      target: indicatorDefinitions.target,
    })
    .from(indicatorDefinitions)
    .innerJoin(indicatorValues, eq(indicatorValues.indicatorId, indicatorDefinitions.id))
    .where(
      and(
        codes ? inArray(indicatorDefinitions.code, codes) : undefined,
        eq(indicatorValues.organisationId, organisationId),
        isNotNull(indicatorValues.value),
      ),
    )
    .orderBy(asc(indicatorDefinitions.code));
}

/**
 * Which of these recommendations a plan of the service may link to, with what the plan shows of them: those
 * of the service's assessments that its organisation sees (its own, and inspections shared with it).
 */
export async function recommendationsOfService(db: Database, serviceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: recommendations.id,
      text: recommendations.text,
      assessmentId: assessments.id,
      assessmentTitle: assessments.title,
    })
    .from(recommendations)
    .innerJoin(assessments, eq(assessments.id, recommendations.assessmentId))
    .where(
      and(
        eq(assessments.serviceId, serviceId),
        inArray(recommendations.id, ids),
        or(ne(assessments.kind, 'inspection'), eq(assessments.sharedWithOrganisation, true)),
      ),
    );
}
