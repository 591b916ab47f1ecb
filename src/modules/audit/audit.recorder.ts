/**
 * Appending to the audit trail. Call it with the same transaction as the change it records, so the
 * change and its entry commit together or not at all.
 */
import { desc, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { actorLabel, type UserActor } from '../accounts/index.js';
import { chainHash, GENESIS, storedForm } from './audit-chain.js';
import { auditLog } from './audit.tables.js';

/** Something other than a person: the first run, a CLI command run on the server, the demo loader. */
export interface SystemActor {
  kind: 'system';
  label: string;
}

export interface AuditEntryInput {
  actor: UserActor | SystemActor;
  /** "<entity>.<verb>", e.g. "organisation.created", "user.role_changed". */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Arbitrary constant naming the audit chain's lock among PostgreSQL advisory locks. */
const CHAIN_LOCK_KEY = 4_250_218;

export async function recordAudit(db: Database, entry: AuditEntryInput): Promise<void> {
  // Serialise appends (until the transaction ends) so that two writers never chain from the same entry.
  await db.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`);
  const [last] = await db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  // Stored and hashed in the same form: the edge refuses such text, but the chain must not depend on it.
  const content = storedForm({
    at: new Date(),
    actorId: entry.actor.kind === 'user' ? entry.actor.userId : null,
    actorLabel: entry.actor.kind === 'user' ? actorLabel(entry.actor) : `system (${entry.actor.label})`,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
  });
  await db.insert(auditLog).values({ ...content, prevHash, hash: chainHash(prevHash, content) });
}
