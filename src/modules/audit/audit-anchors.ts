/**
 * Publishing the audit chain's head. A published report prints the newest entry's id and hash, and kloe
 * keeps a note of each anchor it printed (audit_anchors): every later check holds the chain to all of
 * them, so deleting the newest entries no longer passes unnoticed (see audit-verify.ts).
 */
import type { Database } from '../../db/database.js';
import type { ChainAnchor } from './audit-verify.js';
import * as repo from './audit.repository.js';

/** The chain's head, noted as published in `publishedIn`; undefined while the trail is empty. */
export async function publishAnchor(db: Database, publishedIn: string): Promise<ChainAnchor | undefined> {
  const head = await repo.headEntry(db);
  if (!head) return undefined;
  await repo.insertAnchor(db, { ...head, publishedIn });
  return { ...head, publishedIn };
}

/** An anchor as people copy it and as `kloe audit verify --anchor` takes it. */
export const anchorText = (anchor: ChainAnchor) => `${anchor.entryId}:${anchor.hash}`;
