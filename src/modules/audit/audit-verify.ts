/**
 * Checking the audit trail's hash chain, pure: it walks entries in id order from any iterable (the
 * service feeds it batches from the database, tests feed it arrays) and stops at the first problem,
 * since everything after a break is suspect anyway.
 *
 * For each entry, in id order:
 *  1. its stored hash must equal chainHash(its prev_hash, its content) — else the entry was edited
 *     (content, prev_hash or hash changed without the others being made to agree);
 *  2. its prev_hash must equal the previous entry's hash (GENESIS for the first) — else entries between
 *     them were deleted. Ids can have gaps that are not deletions (a transaction that rolled back still
 *     used up its id), so only the hashes decide; but when the two ids are consecutive nothing can be
 *     missing between them, and the earlier entry must have been rewritten together with its hash.
 *
 * What the chain alone cannot detect: deleting the newest entries (what remains still chains from
 * GENESIS), and rewriting an entry together with every entry after it (SHA-256 needs no secret). The
 * anchor closes part of that: someone keeps a verified result's newest entry id and hash outside the
 * database, and a later check with that anchor fails if the anchored entry is gone or no longer has that
 * hash. Entries newer than the anchor stay unprotected until a newer anchor is kept.
 */
import { chainHash, GENESIS, type ChainedContent } from './audit-chain.js';

export interface StoredEntry extends ChainedContent {
  id: number;
  prevHash: string;
  hash: string;
}

export interface ChainAnchor {
  entryId: number;
  hash: string;
}

export interface ChainProblem {
  entryId: number;
  kind: 'edited' | 'deleted';
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  problem?: ChainProblem;
  /** The newest entry of an intact chain: the anchor to keep for a later check. */
  head?: ChainAnchor;
}

/** Exactly the fields the hash covers: chainHash hashes every key it is given. */
function contentOf(entry: StoredEntry): ChainedContent {
  const { at, actorId, actorLabel, action, entityType, entityId, before, after, reason } = entry;
  return { at, actorId, actorLabel, action, entityType, entityId, before, after, reason };
}

const describe = (entry: StoredEntry) => `entry ${entry.id} (${entry.action} at ${entry.at.toISOString()})`;

const edited = (entry: StoredEntry, why = ''): ChainProblem => ({
  entryId: entry.id,
  kind: 'edited',
  message: `${describe(entry)} has been altered${why}`,
});

/** Why `entry` does not follow `previous` (undefined: it is the first entry), or undefined when it does. */
function linkProblem(previous: StoredEntry | undefined, entry: StoredEntry): ChainProblem | undefined {
  if (entry.prevHash === (previous?.hash ?? GENESIS)) return undefined;
  if (!previous) return { entryId: entry.id, kind: 'deleted', message: `entries before ${entry.id} are missing` };
  if (entry.id === previous.id + 1) return edited(previous, `: entry ${entry.id} no longer chains from it`);
  return { entryId: entry.id, kind: 'deleted', message: `entries between ${previous.id} and ${entry.id} are missing` };
}

function anchorMissing(anchor: ChainAnchor, last: StoredEntry | undefined): ChainProblem {
  const gone = `the anchored entry ${anchor.entryId} is gone`;
  const message = !last
    ? `every entry is missing: ${gone}`
    : anchor.entryId > last.id
      ? `entries after ${last.id} are missing: ${gone}`
      : `entry ${anchor.entryId} is missing: ${gone}`;
  return { entryId: anchor.entryId, kind: 'deleted', message };
}

export async function verifyChain(
  entries: Iterable<StoredEntry> | AsyncIterable<StoredEntry>,
  options: { anchor?: ChainAnchor } = {},
): Promise<ChainVerification> {
  const { anchor } = options;
  let previous: StoredEntry | undefined;
  let checked = 0;
  let anchorSeen = false;
  for await (const entry of entries) {
    checked++;
    const problem =
      (entry.hash !== chainHash(entry.prevHash, contentOf(entry)) ? edited(entry) : undefined) ??
      linkProblem(previous, entry) ??
      (entry.id === anchor?.entryId && entry.hash !== anchor.hash
        ? edited(entry, ' since it was anchored')
        : undefined);
    if (problem) return { ok: false, checked, problem };
    if (entry.id === anchor?.entryId) anchorSeen = true;
    previous = entry;
  }
  if (anchor && !anchorSeen) return { ok: false, checked, problem: anchorMissing(anchor, previous) };
  return { ok: true, checked, ...(previous ? { head: { entryId: previous.id, hash: previous.hash } } : {}) };
}
