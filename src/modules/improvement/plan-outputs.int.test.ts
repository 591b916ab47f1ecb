import { count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { insertIndicator } from '../indicators/indicators.repository.js';
import { indicatorValues } from '../indicators/indicators.tables.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { improvementAims, improvementPlans } from './improvement.tables.js';
import { PLAN_FORMAT } from './plan-exchange.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('plan outputs: kloe-plan/1 export and import, CSV, Word', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let viewer: TestUser;
  let source: string;
  let target: string;
  let targetPage: string;
  let targetServiceId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Output Council' });
    const services = createOrganisationsService({ db });
    const repairs = await services.createService(SYSTEM, org.id, { name: 'Repairs', description: null });
    const lettings = await services.createService(SYSTEM, org.id, { name: 'Lettings', description: null });
    targetServiceId = lettings.id;
    member = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Olu Owner' });
    viewer = await createTestUser(db, 'viewer', { organisationId: org.id });
    const indicator = await insertIndicator(db, {
      code: 'OUT-SAT',
      title: 'Tenants satisfied',
      unit: '%',
      polarity: 'higher',
      category: 'satisfaction',
      serviceArea: 'Housing',
      periodType: 'financial_year',
    });
    await db
      .insert(indicatorValues)
      .values({ indicatorId: indicator.id, organisationId: org.id, periodIndex: 2025, period: '2025/26', value: 70 });
    source = `/api/organisations/${org.id}/services/${repairs.id}/plan`;
    target = `/api/organisations/${org.id}/services/${lettings.id}/plan`;
    targetPage = `/organisations/${org.id}/services/${lettings.id}/plan`;

    const aim = (await api(member, 'POST', `${source}/aims`, { title: 'Satisfied tenants', kloeRefs: ['4.2'] })).json();
    const first = (
      await api(member, 'POST', `${source}/aims/${aim.id}/actions`, {
        title: 'Survey after every repair',
        ownerId: member.actor.userId,
        startDate: '2025-04-01',
        dueDate: '2028-03-31',
        milestones: [{ title: 'Survey live', date: '2025-06-30' }],
        measures: [{ indicatorCode: 'OUT-SAT', baseline: 60, target: 80, targetPeriod: '2027/28' }],
      })
    ).json();
    await api(member, 'POST', `${source}/aims/${aim.id}/actions`, { title: 'Publish results', dependsOn: [first.id] });
    await api(member, 'POST', `${source}/aims/${aim.id}/actions/${first.id}/progress`, {
      recordedOn: '2025-07-01',
      note: 'Survey went live',
      milestonesReached: ['Survey live'],
    });
    await api(member, 'PUT', `${source}/aims/${aim.id}/actions/${first.id}/status`, {
      status: 'done',
      reason: 'Delivered: the survey now runs every month',
      version: first.version,
    });
  });

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const aimsOfTarget = async () => {
    const { db } = t.database;
    const [plan] = await db.select().from(improvementPlans).where(eq(improvementPlans.serviceId, targetServiceId));
    if (!plan) return 0;
    return (await db.select({ n: count() }).from(improvementAims).where(eq(improvementAims.planId, plan.id)))[0]!.n;
  };

  it('exports the plan as kloe-plan/1, with owners by email and dependencies by ref', async () => {
    const res = await api(viewer, 'GET', `${source}/export`);
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.format).toBe(PLAN_FORMAT);
    const [first, second] = doc.aims[0].actions;
    expect(first).toMatchObject({
      ref: '1.1',
      ownerEmail: member.actor.email,
      statusSet: { status: 'done', reason: 'Delivered: the survey now runs every month' },
      progress: [{ recordedOn: '2025-07-01', note: 'Survey went live', milestonesReached: ['Survey live'] }],
    });
    expect(second).toMatchObject({ ref: '1.2', dependsOn: ['1.1'] });
  });

  it('offers CSV and Word downloads of the plan', async () => {
    const page = source.replace('/api', '');
    const csv = await api(viewer, 'GET', `${page}.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Survey after every repair');
    expect(csv.body).toContain('Done');
    const docx = await api(viewer, 'GET', `${page}.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-disposition']).toContain('improvement-plan-repairs.docx');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const json = await api(viewer, 'GET', `${page}.json`);
    expect(json.json().format).toBe(PLAN_FORMAT);
  });

  it('imports all or nothing: a bad owner saves nothing, a good file everything, a second time 409', async () => {
    const doc = (await api(member, 'GET', `${source}/export`)).json();
    const bad = structuredClone(doc);
    bad.aims[0].actions[1].ownerEmail = 'nobody@example.test';
    const refused = await api(member, 'POST', `${target}/import`, bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual(['aims.0.actions.1.ownerEmail']);
    expect(await aimsOfTarget()).toBe(0);
    const circle = structuredClone(doc);
    circle.aims[0].actions[0].dependsOn = ['1.2'];
    const refusedCircle = await api(member, 'POST', `${target}/import`, circle);
    expect(refusedCircle.statusCode).toBe(400);
    // The second action's dependency closes the circle the first one's opened.
    expect(refusedCircle.json().errors[0].field).toBe('aims.0.actions.1.dependsOn');
    expect(await aimsOfTarget()).toBe(0);
    expect((await api(viewer, 'POST', `${target}/import`, doc)).statusCode).toBe(403);

    const done = await api(member, 'POST', `${target}/import`, doc);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toEqual({ aims: 1, actions: 2 });
    const again = (await api(member, 'GET', `${target}/export`)).json();
    expect(again.aims).toEqual(doc.aims);
    const twice = await api(member, 'POST', `${target}/import`, doc);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('plan_not_empty');
  });

  it('takes a plan file on a page, keeping what was pasted on an error', async () => {
    const res = await submitForm(t.app, {
      page: `${targetPage}/import`,
      headers: member.headers,
      fields: { document: '{"format": "kloe-plan/1", "aims": [' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('The plan file is not JSON');
    expect(res.body).toContain('{&quot;format&quot;: &quot;kloe-plan/1&quot;, &quot;aims&quot;: [');
  });

  it('publishes the JSON Schema and lists the operations in the OpenAPI document', async () => {
    const schema = await t.app.inject({ url: '/api/schemas/kloe-plan.schema.json' });
    expect(schema.headers['content-type']).toContain('application/schema+json');
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const plan = '/api/organisations/{id}/services/{serviceId}/plan';
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        `${plan}/export`,
        `${plan}/import`,
        `${plan}/comments`,
        `${plan}/aims/{aimId}/actions/{actionId}/progress`,
        `${plan}/aims/{aimId}/actions/{actionId}/status`,
        '/api/organisations/{id}/services/{serviceId}/track-record',
        '/api/plans/monitoring',
      ]),
    );
  });
});
