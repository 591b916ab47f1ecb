/** Recording and tampering with audit entries in a real database, for integration tests. */
import { sql, TransactionRollbackError, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/database.js';
import type { UserActor } from '../../accounts/actor.js';
import { recordAudit, type AuditEntryInput } from '../audit.recorder.js';

export const testAdministrator: UserActor = {
  kind: 'user',
  userId: 'user-ada',
  email: 'ada@example.test',
  name: 'Ada Okafor',
  role: 'administrator',
  organisationId: null,
  via: 'session',
  sessionId: null,
};

/** One change recorded in its own transaction, as a service records it alongside the change. */
export async function recordChange(db: Database, entry: Partial<AuditEntryInput> = {}): Promise<void> {
  await db.transaction((tx) =>
    recordAudit(tx, {
      actor: testAdministrator,
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: 'org-1',
      before: { name: 'Leeds City Council', type: 'district' },
      after: { name: 'Leeds City Council', type: 'metropolitan' },
      reason: 'corrected the type',
      ...entry,
    }),
  );
}

/**
 * Runs `check` on the database as `tamper` left it, then rolls the tampering back, so that one intact
 * trail serves every test of a file.
 */
export async function whileTampered<T>(db: Database, tamper: SQL, check: (db: Database) => Promise<T>): Promise<T> {
  let outcome: { value: T } | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(tamper);
      outcome = { value: await check(tx) };
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  if (!outcome) throw new Error('the check did not run');
  return outcome.value;
}

/** The ids of the trail's entries, in chain order. */
export async function entryIds(db: Database): Promise<number[]> {
  const { rows } = (await db.execute(sql`select id from audit_log order by id`)) as unknown as {
    rows: { id: string | number }[];
  };
  return rows.map((row) => Number(row.id));
}
