import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { GENESIS } from './audit-chain.js';
import { createAuditService } from './audit.service.js';
import { entryIds, recordChange, whileTampered } from './testing/record.js';

const verifyOn = (db: TestDatabase['db'], options: { batchSize?: number } = {}) =>
  createAuditService({ db }).verify(options);

describeEachDatabase('the audit chain in the database', (driver) => {
  let database: TestDatabase;
  let ids: number[];

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    expect(await verifyOn(database.db)).toEqual({ ok: true, checked: 0, problems: [] });
    for (let n = 1; n <= 5; n++) await recordChange(database.db, { entityId: `org-${n}` });
    ids = await entryIds(database.db);
  });
  afterAll(() => database?.close());

  it('verifies entries recorded through recordAudit, read back from jsonb', async () => {
    const result = await verifyOn(database.db);
    expect(result).toMatchObject({ ok: true, checked: 5, head: { entryId: ids[4] } });
    expect(result.problem).toBeUndefined();
  });

  it.each([
    ['after', sql`update audit_log set after = '{"name": "Leeds City Council", "type": "unitary"}'::jsonb`],
    ['before', sql`update audit_log set before = jsonb_set(before, '{type}', '"county"')`],
    ['reason', sql`update audit_log set reason = 'nothing to see here'`],
    ['actor', sql`update audit_log set actor_label = 'Someone Else <x@example.test>'`],
    ['time', sql`update audit_log set at = at - interval '1 day'`],
  ])('names the entry whose %s was edited', async (_column, change) => {
    const third = ids[2]!;
    const result = await whileTampered(database.db, sql`${change} where id = ${third}`, (db) => verifyOn(db));
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(5); // every entry, not only up to the first problem
    expect(result.problem).toMatchObject({ entryId: third, kind: 'edited' });
    expect(result.problem!.message).toMatch(
      new RegExp(`^entry ${third} \\(organisation\\.updated at \\S+Z\\) has been altered$`),
    );
  });

  it('is not fooled by jsonb that says the same thing in another way', async () => {
    // Rewriting a value with the same content (jsonb normalises key order and spacing) is no alteration.
    const same = sql`update audit_log set after = '{ "type": "metropolitan",   "name": "Leeds City Council" }'::jsonb where id = ${ids[2]!}`;
    expect(await whileTampered(database.db, same, (db) => verifyOn(db))).toMatchObject({ ok: true, checked: 5 });
  });

  it('names the gap left by a deleted middle entry', async () => {
    const [, second, third, fourth] = ids;
    const result = await whileTampered(database.db, sql`delete from audit_log where id = ${third!}`, (db) =>
      verifyOn(db),
    );
    const problem = {
      entryId: fourth,
      kind: 'deleted',
      message: `entries between ${second} and ${fourth} are missing`,
    };
    expect(result).toEqual({ ok: false, checked: 4, problems: [problem], problem });
  });

  it('reports every tampered entry, each once, not only the first', async () => {
    const [first, , third, fourth, fifth] = ids;
    const tamper = sql`with edited as (update audit_log set reason = 'edited' where id in (${first!}, ${fifth!}))
                       delete from audit_log where id = ${third!}`;
    const result = await whileTampered(database.db, tamper, (db) => verifyOn(db));
    expect(result.problems.map((p) => [p.entryId, p.kind])).toEqual([
      [first, 'edited'],
      [fourth, 'deleted'],
      [fifth, 'edited'],
    ]);
  });

  it('notices that the first entries were deleted', async () => {
    const result = await whileTampered(database.db, sql`delete from audit_log where id <= ${ids[1]!}`, (db) =>
      verifyOn(db),
    );
    expect(result.problem).toEqual({
      entryId: ids[2],
      kind: 'deleted',
      message: `entries before ${ids[2]} are missing`,
    });
  });

  it('finds a deletion across the boundary of the batches it reads', async () => {
    const [, , third, fourth] = ids;
    const deleteThird = sql`delete from audit_log where id = ${third!}`;
    // Batches of 2: entries 1–2, then 4–5; the break is between the first batch's last and the next's first.
    const result = await whileTampered(database.db, deleteThird, (db) => verifyOn(db, { batchSize: 2 }));
    expect(result.problem).toMatchObject({ entryId: fourth, kind: 'deleted' });
    expect(await verifyOn(database.db, { batchSize: 2 })).toMatchObject({ ok: true, checked: 5 });
  });

  it('keeps one linear chain when 20 changes are recorded at once in separate transactions', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, n) => recordChange(database.db, { entityId: `busy-${n}` })));
    expect(await verifyOn(database.db)).toMatchObject({ ok: true, checked: 25 });
    const { rows } = (await database.db.execute(
      sql`select count(*)::int as entries, count(distinct prev_hash)::int as distinct_prev,
                 count(*) filter (where prev_hash = ${GENESIS})::int as from_genesis
          from audit_log`,
    )) as unknown as { rows: { entries: number; distinct_prev: number; from_genesis: number }[] };
    // No two entries chain from the same one, and only the first starts from GENESIS.
    expect(rows[0]).toEqual({ entries: 25, distinct_prev: 25, from_genesis: 1 });
  });

  it('hashes what it stores: an unpaired surrogate recorded below the edge verifies as the U+FFFD kept', async () => {
    await recordChange(database.db, { entityId: 'org-lone', reason: 'typo\ud800', after: { name: 'Leeds\udc00' } });
    const { rows } = (await database.db.execute(
      sql`select reason, after from audit_log where entity_id = 'org-lone'`,
    )) as unknown as { rows: { reason: string; after: { name: string } }[] };
    expect(rows[0]).toEqual({ reason: 'typo\ufffd', after: { name: 'Leeds\ufffd' } });
    expect(await verifyOn(database.db)).toMatchObject({ ok: true, problems: [] });
  });
});
