import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createAuditService, type AuditFilters, type AuditService } from './audit.service.js';
import { recordChange, testAdministrator } from './testing/record.js';

const grace = { ...testAdministrator, userId: 'user-grace', name: 'Grace Hopper', email: 'grace@example.test' };
const BULK = 55;

/** Records a change as if made at `at`: recordAudit stamps entries with the clock. */
async function recordAt(db: TestDatabase['db'], at: string, entry: Parameters<typeof recordChange>[1]) {
  vi.setSystemTime(new Date(at));
  await recordChange(db, entry);
}

describeEachDatabase('listing the audit trail', (driver) => {
  let database: TestDatabase;
  let audit: AuditService;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    audit = createAuditService({ db: database.db });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const db = database.db;
      // 23:59 on 30 June and 00:30 on 1 July in UK summer time.
      await recordAt(db, '2026-06-30T22:59:00Z', {
        action: 'user.created',
        entityType: 'user',
        entityId: 'u-1',
        before: null,
        after: { role: 'inspector' },
      });
      await recordAt(db, '2026-06-30T23:30:00Z', {
        actor: grace,
        action: 'user.role_changed',
        entityType: 'user',
        entityId: 'u-1',
        before: { role: 'inspector' },
        after: { role: 'viewer' },
      });
      await recordAt(db, '2026-07-02T12:00:00Z', {
        actor: { kind: 'system', label: 'kloe user create' },
        action: 'user.created',
        entityType: 'user',
        entityId: 'u-2',
      });
      await recordAt(db, '2026-07-03T12:00:00Z', {});
      for (let n = 0; n < BULK; n++)
        await recordAt(db, '2026-08-01T09:00:00Z', { entityType: 'bulk', entityId: `b-${n}` });
    } finally {
      vi.useRealTimers();
    }
  });
  afterAll(() => database?.close());

  /** The (entity id, action) of each entry matching the filters, newest first. */
  const matching = async (filters: AuditFilters) =>
    (await audit.list(filters)).entries.map((e) => `${e.entityId} ${e.action}`);

  it('pages through everything newest first, 50 at a time, with the total', async () => {
    const first = await audit.list();
    expect(first).toMatchObject({ total: 4 + BULK, page: 1, pageSize: 50, pageCount: 2 });
    expect(first.entries).toHaveLength(50);
    const ids = first.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const second = await audit.list({}, { page: 2 });
    expect(second.entries.map((e) => e.entityId).slice(-4)).toEqual(['org-1', 'u-2', 'u-1', 'u-1']);
    expect(second.entries.at(-1)!.id).toBeLessThan(first.entries.at(-1)!.id);
    expect((await audit.list({}, { page: 3 })).entries).toEqual([]);
  });

  describe('filters', () => {
    it.each<[string, AuditFilters, string[]]>([
      ['one record', { entityType: 'user', entityId: 'u-1' }, ['u-1 user.role_changed', 'u-1 user.created']],
      ['a type of record', { entityType: 'user' }, ['u-2 user.created', 'u-1 user.role_changed', 'u-1 user.created']],
      ['an actor by id', { actorId: 'user-grace' }, ['u-1 user.role_changed']],
      ['an action', { action: 'user.created' }, ['u-2 user.created', 'u-1 user.created']],
      ['part of an actor’s name, in any case', { q: 'gRACE' }, ['u-1 user.role_changed']],
      ['the system as actor', { q: 'kloe user' }, ['u-2 user.created']],
      ['LIKE wildcards taken literally', { q: 'Ad_ Okafor' }, []],
      ['a UK day in summer time', { from: '2026-07-01', to: '2026-07-01' }, ['u-1 user.role_changed']],
      ['up to a UK day', { to: '2026-06-30' }, ['u-1 user.created']],
      ['a span of days', { from: '2026-07-02', to: '2026-07-03' }, ['org-1 organisation.updated', 'u-2 user.created']],
      ['several at once', { entityType: 'user', from: '2026-07-01', q: 'ada' }, []],
    ])('by %s', async (_name, filters, expected) => {
      expect(await matching(filters)).toEqual(expected);
      expect((await audit.list(filters)).total).toBe(expected.length);
    });

    it('counts every match while returning one page', async () => {
      const result = await audit.list({ entityType: 'bulk' }, { page: 2 });
      expect(result).toMatchObject({ total: BULK, pageCount: 2 });
      expect(result.entries).toHaveLength(BULK - 50);
    });
  });

  it('gives one record’s history ready for its page, newest first', async () => {
    const history = await audit.historyOf('user', 'u-1');
    expect(history.total).toBe(2);
    expect(history.entries[0]).toMatchObject({
      actorLabel: 'Grace Hopper <grace@example.test>',
      actionText: 'User role changed',
      reason: 'corrected the type',
      changes: [{ field: 'role', before: 'inspector', after: 'viewer' }],
    });
    expect(history.entries[1]!.changes).toEqual([{ field: 'role', before: '(none)', after: 'inspector' }]);
    const newest = await audit.historyOf('user', 'u-1', { limit: 1 });
    expect(newest).toMatchObject({ total: 2, entries: [{ action: 'user.role_changed' }] });
  });
});
