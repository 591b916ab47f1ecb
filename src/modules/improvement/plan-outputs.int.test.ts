import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { multipartBody } from '../../files/multipart-body.js';
import { cookiesFrom } from '../../testing/forms.js';
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
  let targetServiceId: string;
  let thirdPage: string;
  let thirdServiceId: string;
  let outsider: TestUser;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Output Council' });
    const services = createOrganisationsService({ db });
    const repairs = await services.createService(SYSTEM, org.id, { name: 'Repairs', description: null });
    const lettings = await services.createService(SYSTEM, org.id, { name: 'Lettings', description: null });
    targetServiceId = lettings.id;
    const waste = await services.createService(SYSTEM, org.id, { name: 'Waste', description: null });
    thirdServiceId = waste.id;
    thirdPage = `/organisations/${org.id}/services/${waste.id}/plan`;
    const elsewhere = await createTestOrganisation(db, { name: 'Elsewhere Council' });
    outsider = await createTestUser(db, 'organisation_member', { organisationId: elsewhere.id });
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
  const aimsOf = async (serviceId: string) => {
    const { db } = t.database;
    const [plan] = await db.select().from(improvementPlans).where(eq(improvementPlans.serviceId, serviceId));
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
    expect(await aimsOf(targetServiceId)).toBe(0);
    const circle = structuredClone(doc);
    circle.aims[0].actions[0].dependsOn = ['1.2'];
    const refusedCircle = await api(member, 'POST', `${target}/import`, circle);
    expect(refusedCircle.statusCode).toBe(400);
    // The second action's dependency closes the circle the first one's opened.
    expect(refusedCircle.json().errors[0].field).toBe('aims.0.actions.1.dependsOn');
    expect(await aimsOf(targetServiceId)).toBe(0);
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

  describe('the import page, which takes the file as an upload', () => {
    /** Posts the page's form as a browser does: its CSRF token and cookie, the file as multipart. */
    async function upload(user: TestUser, file?: { name: string; text: string }) {
      const form = await t.app.inject({ url: `${thirdPage}/import`, headers: user.headers });
      expect(form.statusCode, form.body).toBe(200);
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const files = file ? [{ field: 'file', name: file.name, bytes: Buffer.from(file.text) }] : [];
      const { payload, headers } = multipartBody({ _csrf: token }, files);
      return t.app.inject({
        method: 'POST',
        url: `${thirdPage}/import`,
        headers: {
          ...user.headers,
          ...headers,
          cookie: cookiesFrom(form.headers['set-cookie']),
        },
        payload,
      });
    }
    const summary = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

    it('lists every problem of a refused file by its place, beside the file field, and saves nothing', async () => {
      const doc = (await api(member, 'GET', `${source}/export`)).json();
      const bad = structuredClone(doc);
      bad.aims[0].actions[0].dueDate = '2025-01-01'; // before its start and its milestone
      bad.aims[0].actions[1].ownerEmail = 'nobody@example.test';
      const res = await upload(member, { name: 'plan.json', text: JSON.stringify(bad) });
      expect(res.statusCode).toBe(400);
      const listed = summary(res.body);
      expect(listed).toContain('The plan file was not imported: nothing was saved');
      expect(listed).toContain('aims.0.actions.0.dueDate: The due date must be the same as or after the start date');
      expect(listed).toContain('href="#file"');
      expect(res.body).toMatch(/<p id="file-error" class="govuk-error-message">/);
      expect(await aimsOf(thirdServiceId)).toBe(0);
    });

    it('refuses no file, a file that is not JSON and a file of another format, each beside the field', async () => {
      const none = await upload(member);
      expect(none.statusCode).toBe(400);
      expect(summary(none.body)).toContain('Choose a plan file (kloe-plan/1, JSON) to import');
      const notJson = await upload(member, { name: 'plan.json', text: '{"format": "kloe-plan/1", "aims": [' });
      expect(summary(notJson.body)).toContain('The file is not JSON');
      const other = await upload(member, { name: 'a.json', text: JSON.stringify({ format: 'kloe-assessment/1' }) });
      expect(other.statusCode).toBe(400);
      expect(summary(other.body)).toMatch(/format: .*kloe-plan\/1/);
      expect(await aimsOf(thirdServiceId)).toBe(0);
    });

    it('imports a good file and goes to the plan; a second file is refused as the plan has aims', async () => {
      const doc = (await api(member, 'GET', `${source}/export`)).json();
      const res = await upload(member, { name: 'plan.json', text: JSON.stringify(doc) });
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe(`${thirdPage}?done=imported`);
      const plan = await t.app.inject({ url: res.headers.location, headers: member.headers });
      expect(plan.body).toContain('The plan file has been imported.');
      expect(plan.body).toContain('Survey after every repair');
      expect(await aimsOf(thirdServiceId)).toBe(1);

      const again = await upload(member, { name: 'plan.json', text: JSON.stringify(doc) });
      expect(again.statusCode).toBe(409);
      expect(summary(again.body)).toContain('already has aims');
      expect(await aimsOf(thirdServiceId)).toBe(1);
    });

    it('is for the organisation’s members: a viewer is refused, another organisation’s member finds nothing', async () => {
      expect((await t.app.inject({ url: `${thirdPage}/import`, headers: viewer.headers })).statusCode).toBe(403);
      const stranger = await t.app.inject({ url: `${thirdPage}/import`, headers: outsider.headers });
      expect(stranger.statusCode).toBe(404);
      const { payload, headers } = multipartBody({}, [{ field: 'file', name: 'p.json', bytes: Buffer.from('{}') }]);
      const post = await t.app.inject({
        method: 'POST',
        url: `${thirdPage}/import`,
        headers: { ...outsider.headers, ...headers },
        payload,
      });
      expect(post.statusCode).toBe(404);
    });
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
