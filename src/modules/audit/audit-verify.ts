/**
 * Checking the audit trail's hash chain, pure: it walks entries in id order from any iterable (the
 * service feeds it batches from the database, tests feed it arrays) to the end, and reports every
 * problem it finds. It does not stop at the first: one broken entry must not leave every entry after
 * it unchecked (each entry's own hash, and its link to the one before, are checked on their own).
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
 * GENESIS), and rewriting an entry together with every entry after it (SHA-256 needs no secret). Anchors
 * close part of that: an anchor is a newest entry's id and hash noted at some moment outside the chain
 * (printed in every published report, and given by hand with --anchor), and the check fails if an
 * anchored entry is gone or no longer has that hash. Entries newer than the newest anchor stay
 * unprotected until a newer anchor is published.
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
  /** Where kloe published it (a report); absent for one given by hand. */
  publishedIn?: string;
}

export interface ChainProblem {
  entryId: number;
  kind: 'edited' | 'deleted';
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** Every problem found, in chain order. */
  problems: ChainProblem[];
  /** The first of them. */
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

const anchoredIn = (anchor: ChainAnchor) => (anchor.publishedIn ? ` (anchored in ${anchor.publishedIn})` : '');

function anchorMissing(anchor: ChainAnchor, last: StoredEntry | undefined): ChainProblem {
  const gone = `the anchored entry ${anchor.entryId} is gone${anchoredIn(anchor)}`;
  const message = !last
    ? `every entry is missing: ${gone}`
    : anchor.entryId > last.id
      ? `entries after ${last.id} are missing: ${gone}`
      : `entry ${anchor.entryId} is missing: ${gone}`;
  return { entryId: anchor.entryId, kind: 'deleted', message };
}

export async function verifyChain(
  entries: Iterable<StoredEntry> | AsyncIterable<StoredEntry>,
  options: { anchors?: readonly ChainAnchor[] } = {},
): Promise<ChainVerification> {
  const anchors = Map.groupBy(options.anchors ?? [], (anchor) => anchor.entryId);
  let previous: StoredEntry | undefined;
  let checked = 0;
  const problems: ChainProblem[] = [];
  const said = new Set<string>();
  const report = (problem: ChainProblem | undefined) => {
    // One edit can show twice (an entry's own hash, then the next entry's link to it): said once.
    const key = problem && `${problem.kind} ${problem.entryId}`;
    if (!problem || said.has(key!)) return;
    said.add(key!);
    problems.push(problem);
  };
  for await (const entry of entries) {
    checked++;
    const own = entry.hash !== chainHash(entry.prevHash, contentOf(entry)) ? edited(entry) : undefined;
    const link = linkProblem(previous, entry);
    report(own);
    // An edited entry's own prev_hash may be what changed: its link then blames it, not the entry before.
    if (!(own && link?.kind === 'edited')) report(link);
    const anchored = anchors.get(entry.id) ?? [];
    anchors.delete(entry.id);
    const differs = anchored.find((anchor) => anchor.hash !== entry.hash);
    if (differs) report(edited(entry, ` since it was anchored${anchoredIn(differs)}`));
    previous = entry;
  }
  // Anchors whose entries never came: deleted.
  for (const [first] of anchors.values()) report(anchorMissing(first!, previous));
  if (problems.length > 0) return { ok: false, checked, problems, problem: problems[0] };
  return { ok: true, checked, problems, ...(previous ? { head: { entryId: previous.id, hash: previous.hash } } : {}) };
}
