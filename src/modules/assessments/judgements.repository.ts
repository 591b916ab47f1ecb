/**
 * Data access for what an assessment concludes: its findings against statements, its KLOE judgements, and the
 * roll-up ratings of its key questions and overall.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { findings, kloeJudgements, rollUpJudgements } from './assessments.tables.js';

/**
 * A finding as the workspace reads it: without its assessment id (the reader has it) and its author (no page
 * or answer shows it), the two UUIDs that were about half of each row's bytes.
 */
export type FindingRow = Pick<
  typeof findings.$inferSelect,
  'statementRef' | 'kloeRef' | 'outcome' | 'note' | 'updatedAt'
>;
const findingColumns = {
  statementRef: findings.statementRef,
  kloeRef: findings.kloeRef,
  outcome: findings.outcome,
  note: findings.note,
  updatedAt: findings.updatedAt,
};
export type KloeJudgementRow = typeof kloeJudgements.$inferSelect;
export type RollUpRow = typeof rollUpJudgements.$inferSelect;

/** One KLOE's findings, for a save in progress (the pages read them with their judgement: listKloeWork). */
export async function listFindings(db: Database, assessmentId: string, kloeRef: string): Promise<FindingRow[]> {
  return db
    .select(findingColumns)
    .from(findings)
    .where(and(eq(findings.assessmentId, assessmentId), eq(findings.kloeRef, kloeRef)));
}

export interface KloeWorkRow {
  judgement: KloeJudgementRow;
  findings: FindingRow[];
}

/** A finding inside a KLOE's row: [statementRef, outcome, note, updatedAt as ISO text]. */
type FindingJson = [string, FindingRow['outcome'], string | null, string];

/**
 * Every KLOE judgement of an assessment with its findings, in one query: each page of the workspace reads
 * both, and every query costs a round trip and a write to PostgreSQL's socket as well as its rows.
 * The findings come as JSON arrays, which are parsed natively rather than row by row.
 */
export async function listKloeWork(db: Database, assessmentId: string): Promise<KloeWorkRow[]> {
  const query = preparedOnce(db, 'assessment_kloe_work', (db) =>
    db
      .select({
        judgement: kloeJudgements,
        // Written out with its tables named: Drizzle leaves column names bare in a one-table select, and bare
        // names inside the subquery would all mean the findings' own.
        findings: sql<FindingJson[]>`(
          select coalesce(json_agg(json_build_array(f.statement_ref, f.outcome, f.note, f.updated_at)), '[]')
          from findings f
          where f.assessment_id = kloe_judgements.assessment_id and f.kloe_ref = kloe_judgements.kloe_ref
        )`,
      })
      .from(kloeJudgements)
      .where(eq(kloeJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_kloe_work'),
  );
  const rows = await query.execute({ assessmentId });
  return rows.map(({ judgement, findings }) => ({
    judgement,
    findings: findings.map(([statementRef, outcome, note, updatedAt]) => ({
      statementRef,
      kloeRef: judgement.kloeRef,
      outcome,
      note,
      updatedAt: new Date(updatedAt),
    })),
  }));
}

export async function upsertFindings(db: Database, rows: (typeof findings.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(findings)
    .values(rows)
    .onConflictDoUpdate({
      target: [findings.assessmentId, findings.statementRef],
      set: {
        outcome: sql`excluded.outcome`,
        note: sql`excluded.note`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function insertKloeJudgements(db: Database, assessmentId: string, refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  await db
    .insert(kloeJudgements)
    .values(refs.map((kloeRef) => ({ assessmentId, kloeRef })))
    .onConflictDoNothing();
}

export async function listKloeJudgements(db: Database, assessmentId: string): Promise<KloeJudgementRow[]> {
  const query = preparedOnce(db, 'assessment_kloe_judgements', (db) =>
    db
      .select()
      .from(kloeJudgements)
      .where(eq(kloeJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_kloe_judgements'),
  );
  return query.execute({ assessmentId });
}

export async function findKloeJudgement(db: Database, assessmentId: string, kloeRef: string) {
  const [row] = await db
    .select()
    .from(kloeJudgements)
    .where(and(eq(kloeJudgements.assessmentId, assessmentId), eq(kloeJudgements.kloeRef, kloeRef)));
  return row;
}

/** Takes the KLOE's next version if it is still at `expectedVersion`; undefined when someone saved first. */
export async function updateKloeJudgement(
  db: Database,
  assessmentId: string,
  kloeRef: string,
  expectedVersion: number,
  values: Partial<typeof kloeJudgements.$inferInsert>,
): Promise<KloeJudgementRow | undefined> {
  const [row] = await db
    .update(kloeJudgements)
    .set({ ...values, version: sql`${kloeJudgements.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(kloeJudgements.assessmentId, assessmentId),
        eq(kloeJudgements.kloeRef, kloeRef),
        eq(kloeJudgements.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function insertRollUps(db: Database, assessmentId: string, nodeRefs: string[]): Promise<void> {
  if (nodeRefs.length === 0) return;
  await db
    .insert(rollUpJudgements)
    .values(nodeRefs.map((nodeRef) => ({ assessmentId, nodeRef })))
    .onConflictDoNothing();
}

export async function listRollUps(db: Database, assessmentId: string): Promise<RollUpRow[]> {
  const query = preparedOnce(db, 'assessment_roll_ups', (db) =>
    db
      .select()
      .from(rollUpJudgements)
      .where(eq(rollUpJudgements.assessmentId, sql.placeholder('assessmentId')))
      .prepare('assessment_roll_ups'),
  );
  return query.execute({ assessmentId });
}

export async function updateRollUp(
  db: Database,
  assessmentId: string,
  nodeRef: string,
  expectedVersion: number,
  values: Partial<typeof rollUpJudgements.$inferInsert>,
): Promise<RollUpRow | undefined> {
  const [row] = await db
    .update(rollUpJudgements)
    .set({ ...values, version: sql`${rollUpJudgements.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(rollUpJudgements.assessmentId, assessmentId),
        eq(rollUpJudgements.nodeRef, nodeRef),
        eq(rollUpJudgements.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
