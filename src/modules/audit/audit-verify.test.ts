import { describe, expect, it } from 'vitest';
import { chainHash } from './audit-chain.js';
import { verifyChain, type StoredEntry } from './audit-verify.js';
import { chained, content } from './testing/chained-entries.js';

const three = () =>
  chained([
    content({ action: 'user.created', before: null, after: { role: 'inspector' }, reason: null }),
    content(),
    content({ action: 'user.disabled', at: new Date('2026-03-02T09:30:00.000Z'), reason: 'left the team' }),
  ]);

/** The entries with one replaced by what `change` makes of it (hashes untouched, as a raw UPDATE would). */
const tampered = (entries: StoredEntry[], id: number, change: (e: StoredEntry) => StoredEntry) =>
  entries.map((e) => (e.id === id ? change(e) : e));

describe('verifyChain', () => {
  it('accepts an intact chain and reports its newest entry as the anchor to keep', async () => {
    const entries = three();
    expect(await verifyChain(entries)).toEqual({
      ok: true,
      checked: 3,
      problems: [],
      head: { entryId: 3, hash: entries[2]!.hash },
    });
  });

  it('accepts an empty trail', async () => {
    expect(await verifyChain([])).toEqual({ ok: true, checked: 0, problems: [] });
  });

  it('reads entries from an async source, as the service feeds it batches', async () => {
    async function* batches() {
      for (const entry of three()) yield entry;
    }
    expect(await verifyChain(batches())).toMatchObject({ ok: true, checked: 3 });
  });

  it.each([
    ['a field of after', (e: StoredEntry) => ({ ...e, after: { role: 'administrator', name: 'Ian Fletcher' } })],
    ['a field of before', (e: StoredEntry) => ({ ...e, before: { role: 'viewer', name: 'Ian Fletcher' } })],
    ['the reason', (e: StoredEntry) => ({ ...e, reason: 'because I said so' })],
    ['the actor', (e: StoredEntry) => ({ ...e, actorLabel: 'Someone Else <x@example.org>' })],
    ['the time', (e: StoredEntry) => ({ ...e, at: new Date('2026-03-01T10:00:00.001Z') })],
    ['the stored hash', (e: StoredEntry) => ({ ...e, hash: 'f'.repeat(64) })],
    ['the prev_hash', (e: StoredEntry) => ({ ...e, prevHash: 'e'.repeat(64) })],
  ])('names the entry whose %s was edited', async (_what, change) => {
    const result = await verifyChain(tampered(three(), 2, change));
    const problem = {
      entryId: 2,
      kind: 'edited',
      // The message shows the entry as stored now, so an edited time shows the edited time.
      message: expect.stringMatching(
        /^entry 2 \(user\.role_changed at 2026-03-01T10:00:00\.00[01]Z\) has been altered/,
      ),
    };
    // Every entry is checked, and the one edit is reported once (not again as entry 3's broken link).
    expect(result).toEqual({ ok: false, checked: 3, problems: [problem], problem });
  });

  it('names the gap where a middle entry was deleted', async () => {
    const entries = chained([content(), content(), content(), content()]).filter((e) => e.id !== 2);
    expect(await verifyChain(entries)).toMatchObject({
      ok: false,
      checked: 3,
      problems: [{ entryId: 3, kind: 'deleted', message: 'entries between 1 and 3 are missing' }],
    });
  });

  it('notices that the first entry was deleted', async () => {
    const entries = three().slice(1);
    expect((await verifyChain(entries)).problem).toEqual({
      entryId: 2,
      kind: 'deleted',
      message: 'entries before 2 are missing',
    });
  });

  it('names an entry rewritten with a recomputed hash, when the next entry no longer chains from it', async () => {
    const entries = tampered(three(), 2, (e) => {
      const forged = { ...e, reason: 'forged' };
      return { ...forged, hash: chainHash(e.prevHash, content({ reason: 'forged' })) };
    });
    expect((await verifyChain(entries)).problem).toEqual({
      entryId: 2,
      kind: 'edited',
      message:
        'entry 2 (user.role_changed at 2026-03-01T10:00:00.000Z) has been altered: entry 3 no longer chains from it',
    });
  });

  it('hashes what the database keeps: an unpaired surrogate is stored, and so hashed, as U+FFFD', async () => {
    const [entry] = chained([content({ reason: 'moved\ud800', after: { ['role\udc00']: 'viewer \ud83d' } })]);
    // What a text column and jsonb give back for those strings.
    const readBack = { ...entry!, reason: 'moved\ufffd', after: { ['role\ufffd']: 'viewer \ufffd' } };
    expect(await verifyChain([readBack])).toMatchObject({ ok: true, checked: 1 });
  });

  it('is not broken by the database reordering jsonb keys or turning dates into strings', async () => {
    const createdAt = new Date('2026-01-05T08:00:00.000Z');
    const [entry] = chained([content({ after: { role: 'viewer', name: 'Ian', createdAt, nested: { b: 1, a: [2] } } })]);
    // What jsonb gives back: keys in its own order (shorter keys first), dates as ISO strings.
    const readBack = {
      ...entry!,
      after: { name: 'Ian', role: 'viewer', nested: { a: [2], b: 1 }, createdAt: createdAt.toISOString() },
    };
    expect(await verifyChain([readBack])).toMatchObject({ ok: true, checked: 1 });
  });

  it('reports every broken entry, not only the first, and checks every entry after a break', async () => {
    const entries = chained([content(), content(), content(), content(), content(), content()]);
    const broken = tampered(entries, 1, (e) => ({ ...e, reason: 'x' }))
      .filter((e) => e.id !== 3)
      .map((e) => (e.id === 6 ? { ...e, actorLabel: 'Someone Else' } : e));
    const result = await verifyChain(broken);
    expect(result.checked).toBe(5);
    expect(result.problems.map((p) => [p.entryId, p.kind])).toEqual([
      [1, 'edited'],
      [4, 'deleted'],
      [6, 'edited'],
    ]);
    expect(result.problem).toEqual(result.problems[0]);
  });

  describe('with an anchor kept from an earlier check', () => {
    it('accepts the chain when the anchored entry is still there with its hash', async () => {
      const entries = three();
      const anchor = { entryId: 2, hash: entries[1]!.hash };
      expect(await verifyChain(entries, { anchors: [anchor] })).toMatchObject({ ok: true, checked: 3 });
    });

    it('notices that the newest entries were deleted', async () => {
      const entries = three();
      const anchor = { entryId: 3, hash: entries[2]!.hash };
      expect(await verifyChain(entries.slice(0, 1), { anchors: [anchor] })).toMatchObject({
        ok: false,
        checked: 1,
        problems: [
          { entryId: 3, kind: 'deleted', message: 'entries after 1 are missing: the anchored entry 3 is gone' },
        ],
      });
      expect((await verifyChain([], { anchors: [anchor] })).problem?.message).toBe(
        'every entry is missing: the anchored entry 3 is gone',
      );
    });

    it('holds the chain to every published anchor, and says where the anchor was published', async () => {
      const entries = chained([content(), content(), content(), content()]);
      const anchors = [
        { entryId: 2, hash: entries[1]!.hash, publishedIn: 'the pdf report of assessment A' },
        { entryId: 4, hash: entries[3]!.hash, publishedIn: 'the html report of assessment B' },
        { entryId: 4, hash: entries[3]!.hash, publishedIn: 'the docx report of assessment B' },
      ];
      expect(await verifyChain(entries, { anchors })).toMatchObject({ ok: true, checked: 4 });
      // The two newest entries deleted: what remains chains from GENESIS, the anchor of report B does not.
      expect((await verifyChain(entries.slice(0, 2), { anchors })).problems).toEqual([
        {
          entryId: 4,
          kind: 'deleted',
          message:
            'entries after 2 are missing: the anchored entry 4 is gone (anchored in the html report of assessment B)',
        },
      ]);
    });

    it('notices a chain rewritten from the anchored entry onwards', async () => {
      const original = three();
      const rewritten = chained([content({ action: 'user.created' }), content({ reason: 'rewritten' }), content()]);
      const anchor = { entryId: 2, hash: original[1]!.hash };
      expect((await verifyChain(rewritten, { anchors: [anchor] })).problem).toEqual({
        entryId: 2,
        kind: 'edited',
        message: 'entry 2 (user.role_changed at 2026-03-01T10:00:00.000Z) has been altered since it was anchored',
      });
    });
  });
});
