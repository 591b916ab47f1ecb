/** In-memory audit entries chained the way recordAudit chains them, for tests of the verification. */
import { chainHash, GENESIS, type ChainedContent } from '../audit-chain.js';
import type { StoredEntry } from '../audit-verify.js';

export function content(overrides: Partial<ChainedContent> = {}): ChainedContent {
  return {
    at: new Date('2026-03-01T10:00:00.000Z'),
    actorId: 'u-1',
    actorLabel: 'Ada Okafor <admin@example.org>',
    action: 'user.role_changed',
    entityType: 'user',
    entityId: 'u-2',
    before: { role: 'inspector', name: 'Ian Fletcher' },
    after: { role: 'viewer', name: 'Ian Fletcher' },
    reason: 'moved to the review board',
    ...overrides,
  };
}

/** Entries with ids 1, 2, 3 … each chained from the one before. */
export function chained(contents: ChainedContent[]): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (const [index, c] of contents.entries()) {
    const prevHash = entries.at(-1)?.hash ?? GENESIS;
    entries.push({ ...c, id: index + 1, prevHash, hash: chainHash(prevHash, c) });
  }
  return entries;
}
