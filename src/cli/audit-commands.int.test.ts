/** `kloe audit …` run from the build against a PostgreSQL database that the test records into and tampers with. */
import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { recordChange } from '../modules/audit/testing/record.js';
import { postgresInstallation } from './testing/run-cli.js';

describe.skipIf(!postgresAvailable)('kloe audit [postgres]', () => {
  const installation = postgresInstallation('kloe-audit-cli-');
  const kloe = (...args: string[]) => installation.kloe(args);
  const tamper = (statement: SQL) => installation.database!.db.execute(statement);

  beforeAll(async () => {
    const { db } = installation.database!;
    await recordChange(db, { entityId: 'org-1' });
    await recordChange(db, { entityId: 'org-2', reason: 'renamed' });
    await recordChange(db, {
      actor: { kind: 'system', label: 'kloe user create' },
      entityType: 'user',
      entityId: 'u-1',
    });
  });

  it('explains its commands', async () => {
    const help = await kloe('audit', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/verify \[options\][\s\S]*list \[options\]/);
  });

  it('lists entries newest first as tab-separated lines', async () => {
    const all = await kloe('audit', 'list');
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split('\t')[0])).toEqual(['3', '2', '1']);
    expect(lines[1]).toMatch(
      /^2\t\S+Z\tAda Okafor <ada@example\.test>\torganisation\.updated\torganisation:org-2\trenamed$/,
    );
  });

  it('filters the list by record, type of record and actor, and prints JSON', async () => {
    const one = JSON.parse((await kloe('audit', 'list', '--entity', 'organisation:org-2', '--json')).stdout);
    expect(one).toEqual([expect.objectContaining({ id: 2, entityId: 'org-2', before: expect.any(Object) })]);
    const byAda = JSON.parse((await kloe('audit', 'list', '--actor', 'user-ada', '--limit', '1', '--json')).stdout);
    expect(byAda.map((e: { id: number }) => e.id)).toEqual([2]);
    expect((await kloe('audit', 'list', '--entity', 'user')).stdout).toMatch(/^3\t.*\tsystem \(kloe user create\)\t/);
    expect((await kloe('audit', 'list', '--entity', 'nothing:here')).stdout).toBe('No entries\n');
  });

  it('refuses a bad limit or anchor with a one-line message', async () => {
    const limit = await kloe('audit', 'list', '--limit', '0');
    expect(limit.code).toBe(1);
    expect(limit.stderr).toMatch(/--limit <n>.*must be a whole number of 1 or more/);
    const anchor = await kloe('audit', 'verify', '--anchor', '3:abc');
    expect(anchor.code).toBe(1);
    expect(anchor.stderr).toMatch(/must be ENTRY:HASH/);
  });

  it('says the trail is intact and prints the anchor to keep', async () => {
    const result = await kloe('audit', 'verify');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Audit trail intact: 3 entries checked\nKeep this anchor outside kloe to detect later deletions: --anchor 3:[0-9a-f]{64}\n$/,
    );
    expect(JSON.parse((await kloe('audit', 'verify', '--json')).stdout)).toMatchObject({ ok: true, checked: 3 });
  });

  it('exits 1 naming the entry someone edited in the database', async () => {
    await tamper(sql`update audit_log set after = '{"name": "Bradford Council"}'::jsonb where id = 2`);
    const result = await kloe('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^kloe: audit trail broken: entry 2 \(organisation\.updated at \S+Z\) has been altered\n$/,
    );
    const json = await kloe('audit', 'verify', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      checked: 3,
      problems: [{ entryId: 2, kind: 'edited' }],
    });
    // A second edit further on is reported too, on the same one line.
    await tamper(sql`update audit_log set reason = 'edited' where id = 3`);
    expect((await kloe('audit', 'verify')).stderr).toMatch(
      /^kloe: audit trail broken in 2 places: entry 2 \(\S+ at \S+\) has been altered; entry 3 \(\S+ at \S+\) has been altered\n$/,
    );
  });

  it('catches deleted newest entries only with an anchor kept from before', async () => {
    // Put back what the previous test altered, so that the chain is intact again.
    await tamper(
      sql`update audit_log set after = '{"name": "Leeds City Council", "type": "metropolitan"}' where id = 2`,
    );
    await tamper(sql`update audit_log set reason = 'corrected the type' where id = 3`);
    const anchor = /--anchor (\S+)/.exec((await kloe('audit', 'verify')).stdout)?.[1];
    expect(anchor).toMatch(/^3:/);
    await tamper(sql`delete from audit_log where id = 3`);
    // The chain alone cannot tell: what remains still chains from the start.
    expect((await kloe('audit', 'verify')).stdout).toMatch(/^Audit trail intact: 2 entries checked\n/);
    const anchored = await kloe('audit', 'verify', '--anchor', anchor!);
    expect(anchored.code).toBe(1);
    expect(anchored.stderr).toBe(
      'kloe: audit trail broken: entries after 2 are missing: the anchored entry 3 is gone\n',
    );
  });
});
