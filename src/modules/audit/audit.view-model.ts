/** Audit entries as pages show them: the action in words and the changed fields worked out. */
import { changedFields, type FieldChange } from './audit-changes.js';
import type { AuditEntryRow } from './audit.repository.js';

export interface AuditEntryView {
  id: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  /** As recorded, e.g. "user.role_changed". */
  action: string;
  /** In words, e.g. "User role changed". */
  actionText: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  changes: FieldChange[];
  /** As recorded, for pages that put a record's changes in their own words (a KLOE's history). */
  before: unknown;
  after: unknown;
}

export function describeAction(action: string): string {
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function entryView(row: AuditEntryRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    actionText: describeAction(row.action),
    entityType: row.entityType,
    entityId: row.entityId,
    reason: row.reason,
    changes: changedFields(row.before, row.after),
    before: row.before,
    after: row.after,
  };
}
