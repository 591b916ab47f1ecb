import { and, count, desc, eq, gt, gte, ilike, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { auditAnchors, auditLog } from './audit.tables.js';

export type AuditEntryRow = typeof auditLog.$inferSelect;

/** What to select entries by; every given criterion must hold. */
export interface AuditCriteria {
  actorId?: string;
  /** Part of the actor's label (name or email), any case. */
  actorText?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Entries at or after this instant. */
  since?: Date;
  /** Entries strictly before this instant. */
  until?: Date;
}

/** LIKE treats % and _ as wildcards: a person searching for "a_b" means those three characters. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

function matching(c: AuditCriteria): SQL | undefined {
  const conditions = [
    c.actorId === undefined ? undefined : eq(auditLog.actorId, c.actorId),
    c.actorText === undefined ? undefined : ilike(auditLog.actorLabel, containing(c.actorText)),
    c.action === undefined ? undefined : eq(auditLog.action, c.action),
    c.entityType === undefined ? undefined : eq(auditLog.entityType, c.entityType),
    c.entityId === undefined ? undefined : eq(auditLog.entityId, c.entityId),
    c.since === undefined ? undefined : gte(auditLog.at, c.since),
    c.until === undefined ? undefined : lt(auditLog.at, c.until),
  ];
  return and(...conditions.filter((condition) => condition !== undefined));
}

/** Newest first. Ids follow the chain (appends are serialised), so they order entries even within a millisecond. */
export async function listEntries(
  db: Database,
  criteria: AuditCriteria,
  window: { limit: number; offset: number },
): Promise<AuditEntryRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(matching(criteria))
    .orderBy(desc(auditLog.id))
    .limit(window.limit)
    .offset(window.offset);
}

/** One record's newest entries: every record page shows them, so the query is built and prepared once. */
export async function recordEntries(
  db: Database,
  entityType: string,
  entityId: string,
  limit: number,
): Promise<AuditEntryRow[]> {
  const query = preparedOnce(db, 'audit_record_entries', (db) =>
    db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.entityType, sql.placeholder('entityType')), eq(auditLog.entityId, sql.placeholder('entityId'))),
      )
      .orderBy(desc(auditLog.id))
      .limit(sql.placeholder('limit'))
      .prepare('audit_record_entries'),
  );
  return query.execute({ entityType, entityId, limit });
}

/**
 * Whose entries a history gathers: one record, the records whose ids start with a prefix (a KLOE's id is
 * "<assessment>/<ref>"), or the records one of whose entries recorded `after[field] = value` (an evidence
 * request names its assessment when it is made; its later entries follow by its id).
 */
export type HistorySubject =
  | { entityType: string; entityId: string }
  | { entityType: string; entityIdPrefix: string }
  | { entityType: string; recordedWith: { field: string; value: string } };

function subjectCondition(subject: HistorySubject): SQL {
  const type = eq(auditLog.entityType, subject.entityType);
  if ('entityId' in subject) return and(type, eq(auditLog.entityId, subject.entityId))!;
  if ('entityIdPrefix' in subject) {
    return and(type, like(auditLog.entityId, `${subject.entityIdPrefix.replace(/[\\%_]/g, '\\$&')}%`))!;
  }
  const { field, value } = subject.recordedWith;
  const ids = sql`(select ${auditLog.entityId} from ${auditLog} where ${auditLog.entityType} = ${subject.entityType}
    and ${auditLog.after} ->> ${field} = ${value})`;
  return and(type, inArray(auditLog.entityId, ids))!;
}

/** The newest entries of several records together, newest first, and how many there are in all. */
export async function subjectsEntries(
  db: Database,
  subjects: HistorySubject[],
  limit: number,
): Promise<{ entries: AuditEntryRow[]; total: number }> {
  const where = or(...subjects.map(subjectCondition));
  const entries = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(limit);
  if (entries.length < limit) return { entries, total: entries.length };
  const [row] = await db.select({ n: count() }).from(auditLog).where(where);
  return { entries, total: row?.n ?? 0 };
}

export async function countEntries(db: Database, criteria: AuditCriteria): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(matching(criteria));
  return row?.n ?? 0;
}

/** The next `limit` entries in chain order after the entry `afterId` (0: from the start). */
export async function entriesAfter(db: Database, afterId: number, limit: number): Promise<AuditEntryRow[]> {
  return db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(auditLog.id).limit(limit);
}

/** The newest entry's id and hash: the chain's head. */
export async function headEntry(db: Database): Promise<{ entryId: number; hash: string } | undefined> {
  const [head] = await db
    .select({ entryId: auditLog.id, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  return head;
}

export async function insertAnchor(db: Database, anchor: { entryId: number; hash: string; publishedIn: string }) {
  await db.insert(auditAnchors).values(anchor);
}

/** Every anchor kloe has published, oldest first. */
export async function listAnchors(db: Database) {
  return db
    .select({ entryId: auditAnchors.entryId, hash: auditAnchors.hash, publishedIn: auditAnchors.publishedIn })
    .from(auditAnchors)
    .orderBy(auditAnchors.id);
}
