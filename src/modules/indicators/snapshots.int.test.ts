import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import type { Analysis } from './analysis.types.js';
import { importIndicatorFile } from './indicators.import.js';
import { seedSmallSet } from './testing/small-national-set.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const file = (prefix: string, o1: number) =>
  Buffer.from(
    [
      'organisation_code,indicator_code,period,value',
      ...['2021/22', '2022/23', '2023/24'].flatMap((year, y) =>
        [1, 2, 3].map((o) => `${prefix}-O${o},${prefix}-SAT,${year},${o === 1 && y === 2 ? o1 : 70 + o + y}`),
      ),
    ].join('\n'),
  );

describeEachDatabase('indicator snapshots in an assessment', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let outsider: TestUser;
  let assessmentId: string;
  const prefix = 'SNAP';

  beforeAll(async () => {
    const { db } = t.database;
    const set = await seedSmallSet(db, prefix);
    await importIndicatorFile(t.database, file(prefix, 90), SYSTEM);
    inspector = await createTestUser(db, 'inspector', { name: 'Ines Inspector' });
    outsider = await createTestUser(db, 'inspector');
    const service = await createOrganisationsService({ db }).createService(SYSTEM, set.orgs[0]!.id, {
      name: 'Housing repairs',
      description: null,
    });
    const assessment = await createAssessmentsService({ db }).create(SYSTEM, {
      organisationId: set.orgs[0]!.id,
      serviceId: service.id,
      kind: 'inspection',
      title: 'Repairs inspection',
      frameworkId: 'audit-commission-j2',
      leadUserId: inspector.actor.userId,
    });
    assessmentId = assessment.id;
  });

  const kloePage = (ref: string) =>
    t.app.inject({
      url: `/assessments/${assessmentId}/kloes/${ref}`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });

  it('tells the workspace of a performance KLOE that no analysis is frozen yet', async () => {
    const page = await kloePage('4.3');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No indicator analysis has been frozen into this assessment yet.');
  });

  it('freezes the analysis from the page and shows the figures beside the KLOE statements', async () => {
    const res = await submitForm(t.app, {
      page: `/assessments/${assessmentId}/indicators`,
      headers: { ...inspector.headers, accept: 'text/html' },
      fields: {},
    });
    expect(res.statusCode).toBe(303);
    const page = await t.app.inject({
      url: `/assessments/${assessmentId}/indicators?done=attached`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(page.body).toContain('The analysis has been frozen into this assessment.');
    for (const ref of ['4.2', '4.3', '4.4', '5.2.3']) expect(page.body).toContain(`KLOE ${ref}:`);
    expect(page.body).toMatch(/<strong>4\.3-P\d+<\/strong>/);
    expect(page.body).toContain('indicators with a direction of travel improved');
  });

  it('shows the frozen figures in the workspace of 4.3 where its statements are judged, and none in 4.1', async () => {
    const page = await kloePage('4.3');
    const table = /<table[^>]*id="kloe-figures-table">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    expect(table).toContain(`${prefix}-SAT`);
    expect(table).toContain('Tenants satisfied with repairs');
    // O1's satisfaction rose 71, 72 → 90: improving, top of the three providers in 2023/24.
    expect(table).toContain('>Improving</strong>');
    expect(table).toContain('90 in 2023/24');
    expect(table).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).toMatch(/These figures bear on <a class="govuk-link" href="#statement-4\.3-P\d+">/);
    // The figures come before the findings they bear on.
    expect(page.body.indexOf('id="kloe-figures"')).toBeLessThan(page.body.indexOf('Findings on the descriptors'));
    const other = await kloePage('4.1');
    expect(other.body).not.toContain('id="kloe-figures"');
  });

  it('keeps the snapshot as it was when values change afterwards', async () => {
    const before = await t.app.inject({
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: inspector.headers,
    });
    const frozen = (before.json() as { snapshots: { analysis: Analysis }[] }).snapshots[0]!.analysis;
    const valueOf = (a: Analysis) => a.indicators.find((i) => i.code === `${prefix}-SAT`)!.periods[2]!.value;
    expect(valueOf(frozen)).toBe(90);
    await importIndicatorFile(t.database, file(prefix, 50), SYSTEM);
    const after = await t.app.inject({
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: inspector.headers,
    });
    expect(valueOf((after.json() as { snapshots: { analysis: Analysis }[] }).snapshots[0]!.analysis)).toBe(90);
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: inspector.headers,
    });
    expect(created.statusCode).toBe(201);
    const latest = await t.app.inject({
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: inspector.headers,
    });
    const list = (latest.json() as { snapshots: { analysis: Analysis }[] }).snapshots;
    expect(list.map((s) => valueOf(s.analysis))).toEqual([50, 90]);
  });

  it('charts in the report only the indicators the team chose, a choice a newer snapshot keeps', async () => {
    const reportBody = async () =>
      (await t.app.inject({ url: `/assessments/${assessmentId}/report`, headers: inspector.headers })).body;
    expect(await reportBody()).not.toContain(`id="chart-indicator-${prefix}-SAT"`);
    const refused = await submitForm(t.app, {
      page: `/assessments/${assessmentId}/indicators`,
      action: `/assessments/${assessmentId}/indicators/report`,
      headers: { ...inspector.headers, accept: 'text/html' },
      fields: { indicators: 'NO-SUCH' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Not in the attached analysis: NO-SUCH');
    const chosen = await submitForm(t.app, {
      page: `/assessments/${assessmentId}/indicators`,
      action: `/assessments/${assessmentId}/indicators/report`,
      headers: { ...inspector.headers, accept: 'text/html' },
      fields: { indicators: `${prefix}-SAT` },
    });
    expect(chosen.statusCode).toBe(303);
    expect(await reportBody()).toContain(`id="chart-indicator-${prefix}-SAT"`);
    expect(await reportBody()).not.toContain(`id="chart-indicator-${prefix}-COST"`);
    const viaApi = await t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${assessmentId}/report-indicators`,
      headers: inspector.headers,
      payload: { indicators: [`${prefix}-SAT`, `${prefix}-COST`, `${prefix}-SAT`] },
    });
    // Each once, in the analysis' order (by code).
    expect(viaApi.json()).toEqual({ indicators: [`${prefix}-COST`, `${prefix}-SAT`] });
    await t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${assessmentId}/report-indicators`,
      headers: inspector.headers,
      payload: { indicators: [`${prefix}-SAT`] },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: inspector.headers,
    });
    const page = await t.app.inject({
      url: `/assessments/${assessmentId}/indicators`,
      headers: { ...inspector.headers, accept: 'text/html' },
    });
    expect(page.body).toMatch(new RegExp(`value="${prefix}-SAT" checked`));
    expect(page.body).not.toMatch(new RegExp(`value="${prefix}-COST" checked`));
  });

  it('charts the latest snapshot in the assessment report, with a data table per chart', async () => {
    const report = await t.app.inject({ url: `/assessments/${assessmentId}/report`, headers: inspector.headers });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain(`id="chart-indicator-${prefix}-SAT"`);
    expect(report.body).toMatch(/<svg[^>]*role="img"/);
    // The latest snapshot holds the corrected value (50), the earlier one 90.
    expect(report.body).toMatch(/<td class="govuk-table__cell[^"]*">50<\/td>/);
    expect(report.body).not.toMatch(/<td class="govuk-table__cell[^"]*">90<\/td>/);
  });

  it('answers 404 to an inspector who is not on the assessment', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/indicator-snapshots`,
      headers: outsider.headers,
    });
    expect(res.statusCode).toBe(404);
  });
});
