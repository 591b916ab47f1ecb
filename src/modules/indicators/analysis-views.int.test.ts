/**
 * The analysis page is remembered (analysis-views.ts), and never shows what has changed since: a new
 * import, a renamed organisation (also by SQL from outside kloe), a new comparator group, a new indicator
 * and a new trend window each show on the next request; and who may see the page is checked every time.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { importIndicatorFile } from './indicators.import.js';
import { insertIndicator } from './indicators.repository.js';
import { recomputeBehind, setTrendWindow } from './indicators.recompute.js';
import { seedSmallSet } from './testing/small-national-set.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const YEARS = ['2020/21', '2021/22', '2022/23', '2023/24'];

describeEachDatabase('the remembered analysis page', (driver) => {
  const t = useTestApp(driver);
  const prefix = 'VW';
  let inspector: TestUser;
  let member: TestUser;
  let administrator: TestUser;
  let set: Awaited<ReturnType<typeof seedSmallSet>>;

  const fileOf = (satisfaction: (org: number, year: number) => number) =>
    Buffer.from(
      [
        'organisation_code,indicator_code,period,value',
        ...[1, 2, 3, 4, 5].flatMap((o) =>
          YEARS.flatMap((year, y) => [
            `${prefix}-O${o},${prefix}-SAT,${year},${satisfaction(o, y)}`,
            `${prefix}-O${o},${prefix}-COST,${year},${100 + o * 3 + y}`,
          ]),
        ),
      ].join('\n'),
    );
  const pageOf = async (user: TestUser = inspector) =>
    t.app.inject({
      url: `/indicators/organisations/${set.orgs[0]!.id}`,
      headers: { ...user.headers, accept: 'text/html' },
    });

  beforeAll(async () => {
    set = await seedSmallSet(t.database.db, prefix);
    inspector = await createTestUser(t.database.db, 'inspector');
    administrator = await createTestUser(t.database.db, 'administrator');
    member = await createTestUser(t.database.db, 'organisation_member', { organisationId: set.orgs[1]!.id });
    await importIndicatorFile(
      t.database,
      fileOf((o, y) => 60 + o + y),
      SYSTEM,
    );
  });

  it('shows each change on the next request, whoever made it', async () => {
    const first = await pageOf();
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('2023/24: 64</td>');

    // A corrected value, imported (and recomputed).
    await importIndicatorFile(
      t.database,
      fileOf((o, y) => (o === 1 && y === 3 ? 77 : 60 + o + y)),
      SYSTEM,
    );
    expect((await pageOf()).body).toContain('2023/24: 77</td>');

    // A group member renamed through kloe, then by SQL from outside it.
    const member2 = set.orgs[1]!;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisations/${member2.id}`,
      headers: administrator.headers,
      payload: { name: 'Renamed through the API' },
    });
    expect(patched.statusCode).toBe(200);
    const renamed = await pageOf();
    expect(renamed.body).toContain('Renamed through the API');
    await t.database.db.execute(sql`update organisations set name = 'Renamed by SQL' where id = ${member2.id}`);
    expect((await pageOf()).body).toContain('Renamed by SQL');

    // A new comparator group to choose from.
    const group = await t.app.inject({
      method: 'POST',
      url: '/api/indicators/comparator-groups',
      headers: inspector.headers,
      payload: { name: 'Remembered page test group', kind: 'list', organisations: [`${prefix}-O2`, `${prefix}-O3`] },
    });
    expect(group.statusCode).toBe(201);
    expect((await pageOf()).body).toContain('Remembered page test group');

    // A new indicator.
    await insertIndicator(t.database.db, {
      code: `${prefix}-NEW`,
      title: 'An indicator defined after the page was remembered',
      unit: 'n',
      polarity: 'higher',
      category: 'performance',
      serviceArea: 'Tests',
      periodType: 'financial_year',
    });
    expect((await pageOf()).body).toContain('An indicator defined after the page was remembered');

    // A new trend window, once recomputed.
    await setTrendWindow(t.database.db, 2, SYSTEM);
    await recomputeBehind(t.database);
    const windowed = (await pageOf()).body;
    expect(windowed).toContain('over the latest 2 periods');
    expect(windowed).not.toContain('2021/22: ');
  });

  it('checks who may see it on every request, remembered or not', async () => {
    expect((await pageOf()).statusCode).toBe(200);
    expect((await pageOf(member)).statusCode).toBe(404);
  });

  it('sends the remembered page gzipped to a client that takes gzip', async () => {
    const plain = await pageOf();
    const zipped = await t.app.inject({
      url: `/indicators/organisations/${set.orgs[0]!.id}`,
      headers: { ...inspector.headers, accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('accept-encoding');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(zipped.rawPayload).toString()).toContain('id="analysis-table"');
  });
});
