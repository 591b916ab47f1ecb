import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { cookiesFrom } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import type { Analysis } from './analysis.types.js';
import { insertIndicator } from './indicators.repository.js';
import { indicatorValues } from './indicators.tables.js';
import { seedSmallSet } from './testing/small-national-set.js';
import { createJobQueue } from '../jobs/index.js';
import { RECOMPUTE_JOB, registerRecomputeJob, requestIfBehind } from './recompute-job.js';

const YEARS = ['2020/21', '2021/22', '2022/23', '2023/24'];

function fileOf(prefix: string): string {
  const lines = ['organisation_code,indicator_code,period,value'];
  for (let o = 1; o <= 5; o++)
    YEARS.forEach((year, y) => {
      // O1 improves on both (satisfaction up, cost down); the others drift the other way.
      const up = o === 1 ? 1 : -1;
      lines.push(`${prefix}-O${o},${prefix}-SAT,${year},${60 + o * 5 + up * y * 4}`);
      lines.push(`${prefix}-O${o},${prefix}-COST,${year},${100 + o * 3 - up * y * 5}`);
    });
  return lines.join('\n');
}

async function multipart(fields: Record<string, string>, file: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file], { type: 'text/csv' }), 'values.csv');
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type')!,
  };
}

describeEachDatabase('indicator pages and API', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let member: TestUser;
  let set: Awaited<ReturnType<typeof seedSmallSet>>;
  const prefix = 'RT';

  beforeAll(async () => {
    set = await seedSmallSet(t.database.db, prefix);
    inspector = await createTestUser(t.database.db, 'inspector');
    member = await createTestUser(t.database.db, 'organisation_member', { organisationId: set.orgs[1]!.id });
  });

  const upload = async (user: TestUser, url: string, file: string, html = false) => {
    let fields: Record<string, string> = {};
    let cookie = '';
    if (html) {
      const page = await t.app.inject({ url: '/indicators/import', headers: { ...user.headers, accept: 'text/html' } });
      fields = { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
      cookie = cookiesFrom(page.headers['set-cookie']);
    }
    const { payload, contentType } = await multipart(fields, file);
    return t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...user.headers, 'content-type': contentType, ...(html ? { accept: 'text/html', cookie } : {}) },
    });
  };

  /** Waits for the recompute job the import asked for, as an API client would: until nothing is behind. */
  const recalculated = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = (await t.app.inject({ url: '/api/indicators/status', headers: inspector.headers })).json() as {
        behind: number;
        recalculating: boolean;
      };
      if (status.behind === 0) return status;
      if (Date.now() > deadline) throw new Error(`results still behind: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('lists a bad file’s rows in the import page’s error summary and imports nothing', async () => {
    const res = await upload(
      inspector,
      '/indicators/import',
      `${fileOf(prefix)}\n${prefix}-O1,${prefix}-SAT,2024,x`,
      true,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Nothing was imported: 1 row has a problem');
    expect(res.body).toMatch(
      /Line 42: The period &quot;2024&quot; is not in the form[^<]*; The value &quot;x&quot; is not a number/,
    );
    const status = await t.app.inject({
      url: '/api/indicators/organisations/' + set.orgs[0]!.id + '/analysis',
      headers: inspector.headers,
    });
    const ours = (status.json() as Analysis).indicators.filter((i) => i.code.startsWith(`${prefix}-`));
    expect(ours.map((i) => i.periods.length)).toEqual([0, 0]);
  });

  it('imports through the page and says what changed', async () => {
    const res = await upload(inspector, '/indicators/import', fileOf(prefix), true);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/indicators?imported=40&added=40&changed=0');
    const page = await t.app.inject({
      url: res.headers.location!,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(page.body).toContain('Imported 40 rows: 40 new values, 0 changed');
    // This file's values only: the test app has no demo data (nunjucks.test.ts covers grouping in thousands).
    expect(page.body).toContain('40 values held');
  });

  it('imports through the API as an inspector, never as a member', async () => {
    const again = await upload(inspector, '/api/indicators/import', fileOf(prefix));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ rows: 40, added: 0, changed: 0, unchanged: 40 });
    expect(typeof again.json().recalculating).toBe('boolean');
    expect((await upload(member, '/api/indicators/import', fileOf(prefix))).statusCode).toBe(403);
  });

  it('answers an organisation’s analysis with its standing nationally and in its group', async () => {
    expect(await recalculated()).toMatchObject({ behind: 0, recalculating: false });
    const res = await t.app.inject({
      url: `/api/indicators/organisations/${set.orgs[0]!.id}/analysis`,
      headers: inspector.headers,
    });
    expect(res.statusCode).toBe(200);
    const analysis = res.json() as Analysis;
    expect(analysis.format).toBe('kloe-indicator-analysis/1');
    expect(analysis.group.kind).toBe('nearest');
    // Named as the forms name the attributes, not by their keys.
    expect(analysis.group.name).toMatch(/^\d+ nearest neighbours \(population, deprivation score\)$/);
    const sat = analysis.indicators.find((i) => i.code === `${prefix}-SAT`)!;
    expect(sat.periods.map((p) => p.label)).toEqual(['2021/22', '2022/23', '2023/24']);
    expect(sat.direction).toBe('improving');
    // 2021/22: O1 69 against 66, 71, 76, 81 (the others fall by 4 a year): fourth of five; quartiles
    // 69, 71, 76 → on the lower quartile, so third quarter.
    expect(sat.periods[0]!.national).toMatchObject({ rank: 4, count: 5, quartile: 3, q1: 69, median: 71, q3: 76 });
    // 2023/24: O1 77 against 58, 63, 68, 73: first of five, top quarter; two quartiles up.
    expect(sat.periods[2]!.national).toMatchObject({ rank: 1, count: 5, quartile: 1 });
    expect(sat.quartileMovement).toBe(2);
    expect(analysis.summary.all).toMatchObject({ improving: 2, declining: 0, shareImproving: 1 });
    expect(analysis.summary.groupMedian.shareImproving).toBe(0);
  });

  it('shows the analysis page with charts, figures by KLOE and a table, and exports CSV', async () => {
    const id = set.orgs[0]!.id;
    const page = await t.app.inject({
      url: `/indicators/organisations/${id}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('KLOE 4.3');
    expect(page.body).toContain('2 of 2 indicators with a direction of travel improved (100%)');
    expect(page.body).toMatch(/<svg role="img" aria-label="Value for money quadrant of \d+ organisations/);
    expect(page.body).toContain('id="analysis-table"');
    const csv = await t.app.inject({ url: `/indicators/organisations/${id}/analysis.csv`, headers: inspector.headers });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^indicator_code,title,unit,category,period,value/);
    expect(lines.filter((l) => l.startsWith(`${prefix}-`))).toHaveLength(2 * 3);
    const chart = await t.app.inject({
      url: `/indicators/organisations/${id}/indicators/${prefix}-SAT`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(chart.body).toMatch(/<svg role="img" aria-label="Line chart of Tenants satisfied with repairs/);
    expect(chart.body).toContain('id="series-table"');
  });

  it('keeps another organisation’s analysis from a member (404)', async () => {
    const res = await t.app.inject({
      url: `/api/indicators/organisations/${set.orgs[0]!.id}/analysis`,
      headers: member.headers,
    });
    expect(res.statusCode).toBe(404);
    const own = await t.app.inject({
      url: `/api/indicators/organisations/${set.orgs[1]!.id}/analysis`,
      headers: member.headers,
    });
    expect(own.statusCode).toBe(200);
  });

  it('shows a new import on the analysis page once recalculated: a corrected value, a new period, a flagged gap', async () => {
    const id = set.orgs[0]!.id;
    const pageOf = async () =>
      (
        await t.app.inject({
          url: `/indicators/organisations/${id}`,
          headers: { ...inspector.headers, accept: 'text/html' },
        })
      ).body;
    expect(await pageOf()).toContain('2023/24: 77</td>');
    const file = [
      'organisation_code,indicator_code,period,value,quality',
      // O1's satisfaction in 2023/24 corrected (and flagged); a new period where O1's value was not collected.
      `${prefix}-O1,${prefix}-SAT,2023/24,91,estimated`,
      `${prefix}-O1,${prefix}-SAT,2024/25,,not collected`,
      ...[2, 3, 4, 5].map((o) => `${prefix}-O${o},${prefix}-SAT,2024/25,${50 + o}`),
    ].join('\n');
    expect((await upload(inspector, '/indicators/import', file, true)).statusCode).toBe(303);
    await recalculated();
    const page = await pageOf();
    // The corrected value is there with its flag, and the gap is shown as one.
    expect(page).toContain('2023/24: 91 (estimated)<br>');
    expect(page).toContain('2024/25: – (not collected)</td>');
    // 91 is now first of five in 2023/24, in the top quarter nationally and in the group.
    const analysis = (
      await t.app.inject({ url: `/api/indicators/organisations/${id}/analysis`, headers: inspector.headers })
    ).json() as Analysis;
    const sat = analysis.indicators.find((i) => i.code === `${prefix}-SAT`)!;
    expect(sat.periods.map((p) => [p.label, p.value, p.quality])).toEqual([
      ['2022/23', 73, null],
      ['2023/24', 91, 'estimated'],
      ['2024/25', null, 'not_collected'],
    ]);
    expect(sat.periods[1]!.national).toMatchObject({ rank: 1, count: 5, quartile: 1 });
    expect(sat.periods[1]!.group).toMatchObject({ rank: 1, quartile: 1 });
  });

  it('says the figures are being recalculated while a recompute waits, and out of date when none will run', async () => {
    await recalculated();
    const { db } = t.database;
    // New values committed (their generation raised) and a recompute waiting that has not started yet.
    await db.execute(sql`update indicator_definitions set values_generation = values_generation + 1
      where code = ${`${prefix}-SAT`}`);
    const asking = createJobQueue({ database: t.database, work: false });
    const recomputes = registerRecomputeJob({ jobs: asking, database: t.database });
    try {
      await asking.start();
      await asking.enqueue(RECOMPUTE_JOB, {}, { delaySeconds: 3_600 });
      const page = async () =>
        (await t.app.inject({ url: '/indicators', headers: { ...inspector.headers, accept: 'text/html' } })).body;
      expect(await page()).toContain('<strong>The figures of 1 indicator are being recalculated</strong>');
      const status = await t.app.inject({ url: '/api/indicators/status', headers: inspector.headers });
      expect(status.json()).toMatchObject({ behind: 1, recalculating: true });
      // The job lost (it never runs): the page no longer says it is being done.
      await db.execute(sql`delete from pgboss.job where name = ${RECOMPUTE_JOB}`);
      const lost = await page();
      expect(lost).not.toContain('being recalculated');
      expect(lost).toMatch(/<strong>1 indicator(&#39;|')s results are out of date<\/strong>/);
      // The next start (or import) asks again, and a node brings them up.
      await requestIfBehind(db, recomputes);
    } finally {
      await asking.stop();
    }
    expect(await recalculated()).toMatchObject({ behind: 0, recalculating: false });
  });

  it('finds an organisation’s analysis by part of its name, listing several matches with their codes', async () => {
    const get = (query: string) =>
      t.app.inject({ url: `/indicators?${query}`, headers: { ...inspector.headers, accept: 'text/html' } });
    // Every organisation of the small set is named "Test organisation <code>".
    const several = await get(`organisation=${encodeURIComponent(`organisation ${prefix}-O`)}`);
    expect(several.statusCode).toBe(200);
    for (const org of set.orgs)
      expect(several.body).toContain(`<a class="govuk-link" href="/indicators/organisations/${org.id}"><bdi>`);
    const one = await get(`organisation=${encodeURIComponent(set.orgs[2]!.name.toLowerCase())}`);
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe(`/indicators/organisations/${set.orgs[2]!.id}`);
    // A code typed whole goes straight there, as links made before names were searched do.
    const byCode = await get(`code=${prefix.toLowerCase()}-o1`);
    expect(byCode.headers.location).toBe(`/indicators/organisations/${set.orgs[0]!.id}`);
    const none = await get('organisation=Nowhere%20at%20all');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('No organisation’s name or code contains &quot;Nowhere at all&quot;');
    expect(none.body).toContain('value="Nowhere at all"');
  });

  it('links an analysis to its organisation and assessments, and the organisation back to it', async () => {
    const id = set.orgs[0]!.id;
    const analysis = await t.app.inject({
      url: `/indicators/organisations/${id}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(analysis.body).toContain(`href="/organisations/${id}"`);
    expect(analysis.body).toContain(`href="/assessments?organisation=${id}"`);
    const organisation = await t.app.inject({
      url: `/organisations/${id}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(organisation.body).toContain(`href="/indicators/organisations/${id}"`);
    const assessments = await t.app.inject({
      url: `/assessments?organisation=${id}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(assessments.statusCode).toBe(200);
    expect(assessments.body).toContain(`name="organisation" value="${id}"`);
  });

  it('shows a target indicator’s distance to the target and the group’s quartiles of it', async () => {
    const { db } = t.database;
    const indicator = await insertIndicator(db, {
      code: `${prefix}-TGT`,
      title: 'Rent collected against target',
      unit: '%',
      polarity: 'target',
      target: 98,
      category: 'performance',
      serviceArea: 'Housing',
      periodType: 'financial_year',
    });
    // O1 is 2 under the target; the others are 1, 3, 5 and 7 over it in 2023/24.
    const values = [96, 99, 101, 103, 105];
    await db.insert(indicatorValues).values(
      values.map((value, o) => ({
        indicatorId: indicator.id,
        organisationId: set.orgs[o]!.id,
        periodIndex: 2023,
        period: '2023/24',
        value,
      })),
    );
    const id = set.orgs[0]!.id;
    const group = await t.app.inject({
      method: 'POST',
      url: '/api/indicators/comparator-groups',
      headers: inspector.headers,
      payload: { name: 'The other four', kind: 'list', organisations: set.orgs.slice(1).map((o) => o.id) },
    });
    expect(group.statusCode).toBe(201);
    const page = await t.app.inject({
      url: `/indicators/organisations/${id}/indicators/${prefix}-TGT?group=${(group.json() as { id: string }).id}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    const distance = /<table class="govuk-table" id="distance-table">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    expect(page.body).toContain('Distance to the target of 98');
    // Own distance 2; the group's distances 1, 3, 5, 7 have quartiles 2.5, 4, 5.5.
    expect(distance.replace(/\s+/g, ' ')).toMatch(
      /<th scope="row" class="govuk-table__header">2023\/24<\/th> <td[^>]*>2<\/td> <td[^>]*>2.5<\/td> <td[^>]*>4<\/td> <td[^>]*>5.5<\/td>/,
    );
    const sat = await t.app.inject({
      url: `/indicators/organisations/${id}/indicators/${prefix}-SAT`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(sat.body).not.toContain('id="distance-table"');
  });
});
