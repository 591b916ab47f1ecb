/**
 * Publishing the audit chain's head. A published report prints the newest entry's id and hash, and kloe
 * keeps a note of each anchor it printed (audit_anchors): every later check holds the chain to all of
 * them, so deleting the newest entries no longer passes unnoticed (see audit-verify.ts).
 */
import type { Database } from '../../db/database.js';
import type { ChainAnchor } from './audit-verify.js';
import * as repo from './audit.repository.js';

/** An anchor with where it is published. */
type PublishedAnchor = ChainAnchor & { publishedIn: string };

/**
 * The chain's head, to print in a file about to be published in `publishedIn`; undefined while the trail is
 * empty. Nothing is noted yet: the maker notes it (noteAnchorPublished) once its file is the one kept, so that
 * a file made twice at once (two nodes) and kept once leaves one note.
 */
export async function chainHeadToPublish(db: Database, publishedIn: string): Promise<PublishedAnchor | undefined> {
  const head = await repo.headEntry(db);
  return head ? { ...head, publishedIn } : undefined;
}

/** Notes that `anchor` was published: every later check of the chain holds it to it. */
export async function noteAnchorPublished(db: Database, anchor: PublishedAnchor): Promise<void> {
  await repo.insertAnchor(db, anchor);
}

/** An anchor as people copy it and as `kloe audit verify --anchor` takes it. */
export const anchorText = (anchor: ChainAnchor) => `${anchor.entryId}:${anchor.hash}`;
