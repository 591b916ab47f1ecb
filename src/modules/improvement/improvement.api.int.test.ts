import { eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { users } from '../accounts/accounts.tables.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { recompute } from '../indicators/indicators.recompute.js';
import { insertIndicator } from '../indicators/indicators.repository.js';
import { indicatorValues } from '../indicators/indicators.tables.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { improvementActions, improvementAims } from './improvement.tables.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('improvement plans API', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let colleague: TestUser;
  let outsider: TestUser;
  let viewer: TestUser;
  let disabled: TestUser;
  let inspector: TestUser;
  let admin: TestUser;
  let base: string;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Plan Council' });
    const other = await createTestOrganisation(db, { name: 'Other Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: 'Repairs',
      description: null,
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Mona Member' });
    colleague = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Colin Colleague' });
    outsider = await createTestUser(db, 'organisation_member', { organisationId: other.id, name: 'Olga Outside' });
    viewer = await createTestUser(db, 'viewer', { organisationId: org.id });
    disabled = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Dora Disabled' });
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.actor.userId));
    inspector = await createTestUser(db, 'inspector');
    // An inspector reads the plans of the organisations they inspect.
    await createAssessmentsService({ db }).create(inspector.actor, {
      organisationId: org.id,
      serviceId: service.id,
      kind: 'inspection',
      title: 'Repairs inspection',
      frameworkId: 'audit-commission-j2',
    });
    admin = await createTestUser(db, 'administrator');
    const withValues = await insertIndicator(db, {
      code: 'PLAN-SAT',
      title: 'Tenants satisfied with repairs',
      unit: '%',
      polarity: 'higher',
      category: 'satisfaction',
      serviceArea: 'Housing repairs',
      periodType: 'financial_year',
    });
    await insertIndicator(db, {
      code: 'PLAN-NONE',
      title: 'Not measured here',
      unit: '%',
      polarity: 'higher',
      category: 'performance',
      serviceArea: 'Housing repairs',
      periodType: 'financial_year',
    });
    await db
      .insert(indicatorValues)
      .values({ indicatorId: withValues.id, organisationId: org.id, periodIndex: 2025, period: '2025/26', value: 71 });
    // The figures the targets are weighed against, now rather than whenever the app's recompute job runs.
    await recompute(t.database);
    base = `/api/organisations/${org.id}/services/${service.id}/plan`;
  });

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const fields = (res: { json: () => { errors?: { field: string }[] } }) =>
    (res.json().errors ?? []).map((p) => p.field);
  const goodAction = () => ({
    title: 'Survey tenants after every repair',
    ownerId: colleague.actor.userId,
    startDate: '2027-04-01',
    dueDate: '2028-03-31',
    resources: 'One officer, £5,000',
    milestones: [{ title: 'Survey live', date: '2027-06-30' }],
    measures: [{ indicatorCode: 'PLAN-SAT', baseline: 71, target: 85, targetPeriod: '2027/28' }],
  });
  let aimId: string;

  it('lets a member add an aim and an action, each audited', async () => {
    const aim = await api(member, 'POST', `${base}/aims`, {
      title: 'Repairs done right first time',
      description: 'Fewer repeat visits',
      kloeRefs: ['5.1.1', '4.2'],
    });
    expect(aim.statusCode, aim.body).toBe(201);
    expect(aim.json()).toMatchObject({ position: 1, kloeRefs: ['5.1.1', '4.2'], version: 1 });
    aimId = aim.json().id;
    const action = await api(member, 'POST', `${base}/aims/${aimId}/actions`, goodAction());
    expect(action.statusCode, action.body).toBe(201);
    const audited = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(inArray(auditLog.entityId, [aimId, action.json().id]));
    expect(audited.map((a) => a.action).sort()).toEqual(['improvement_action.created', 'improvement_aim.created']);
  });

  it('shows the plan to viewers, inspectors and administrators, with the owner’s name and no flags', async () => {
    for (const reader of [viewer, inspector, admin]) {
      const res = await api(reader, 'GET', base);
      expect(res.statusCode).toBe(200);
      expect(res.json().aims[0].actions[0]).toMatchObject({ ownerName: 'Colin Colleague', dueDate: '2028-03-31' });
      expect(res.json().flags).toEqual([]);
    }
  });

  it('lets only the organisation’s members change it; other organisations get 404', async () => {
    for (const reader of [viewer, inspector, admin]) {
      expect((await api(reader, 'POST', `${base}/aims`, { title: 'Not mine' })).statusCode).toBe(403);
    }
    expect((await api(outsider, 'GET', base)).statusCode).toBe(404);
    expect((await api(outsider, 'POST', `${base}/aims`, { title: 'Not mine' })).statusCode).toBe(404);
  });

  it('flags an action without owner, date or measure, and a target worse than its baseline', async () => {
    const res = await api(member, 'POST', `${base}/aims/${aimId}/actions`, { title: 'Think about it' });
    expect(res.statusCode).toBe(201);
    const worse = { ...goodAction(), measures: [{ ...goodAction().measures[0]!, target: 60 }] };
    expect((await api(member, 'POST', `${base}/aims/${aimId}/actions`, worse)).statusCode).toBe(201);
    const plan = (await api(member, 'GET', base)).json();
    expect(plan.flags.map((f: { code: string; count: number }) => [f.code, f.count])).toEqual([
      ['action_without_owner', 1],
      ['action_without_due_date', 1],
      ['action_without_measure', 1],
      ['target_not_better_than_baseline', 1],
      // 60 against the only provider's 71: it lifts no quartile, and there is no comparator group.
      ['target_not_challenging', 1],
    ]);
  });

  it('refuses bad input naming the field, and saves nothing', async () => {
    const countActions = async () => (await t.database.db.select().from(improvementActions)).length;
    const before = await countActions();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ startDate: '2028-04-01' }, 'dueDate', 'The due date must be the same as or after the start date'],
      [{ milestones: [{ title: 'Late', date: '2028-05-01' }] }, 'milestones.0.date', 'on or before the due date'],
      [{ ownerId: outsider.actor.userId }, 'ownerId', 'Choose a person of Plan Council'],
      [{ ownerId: disabled.actor.userId }, 'ownerId', 'Choose a person of Plan Council'],
      [
        { measures: [{ indicatorCode: 'PLAN-NONE', baseline: 1, target: 2, targetPeriod: '2027/28' }] },
        'measures.0.indicatorCode',
        'Indicator PLAN-NONE has no values for Plan Council',
      ],
    ];
    for (const [change, field, message] of cases) {
      const res = await api(member, 'POST', `${base}/aims/${aimId}/actions`, { ...goodAction(), ...change });
      expect(res.statusCode, field).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(fields(res)).toEqual([field]);
      expect(res.body).toContain(message);
    }
    expect(await countActions()).toBe(before);
    const unknownKloe = await api(member, 'POST', `${base}/aims`, { title: 'x', kloeRefs: ['4.1', '9.9'] });
    expect(unknownKloe.statusCode).toBe(400);
    expect(fields(unknownKloe)).toEqual(['kloeRefs.1']);
    expect(unknownKloe.body).toContain('KLOE 9.9 is not in the framework');
    const aims = await t.database.db.select().from(improvementAims).where(eq(improvementAims.title, 'x'));
    expect(aims).toEqual([]);
  });

  it('changes an aim and an action at the version read; a stale save gets 409 with the current version', async () => {
    const plan = (await api(member, 'GET', base)).json();
    const action = plan.aims[0].actions[0];
    const body = { ...goodAction(), title: 'Survey every tenant', version: action.version };
    const saved = await api(colleague, 'PUT', `${base}/aims/${aimId}/actions/${action.id}`, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(2);
    const stale = await api(member, 'PUT', `${base}/aims/${aimId}/actions/${action.id}`, body);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'edit_conflict', current: { version: 2 } });

    const aimBody = { title: 'Right first time', kloeRefs: ['5.1.1'], version: 1 };
    expect((await api(member, 'PUT', `${base}/aims/${aimId}`, aimBody)).statusCode).toBe(200);
    const staleAim = await api(member, 'PUT', `${base}/aims/${aimId}`, aimBody);
    expect(staleAim.statusCode).toBe(409);
    expect(staleAim.json().current.version).toBe(2);
  });

  it('is in the OpenAPI document with its request and response schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const plan = '/api/organisations/{id}/services/{serviceId}/plan';
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        plan,
        `${plan}/aims`,
        `${plan}/aims/{aimId}`,
        `${plan}/aims/{aimId}/actions`,
        `${plan}/aims/{aimId}/actions/{actionId}`,
        '/api/assessments/{id}/plan-drafts',
      ]),
    );
    const actionBody = doc.paths[`${plan}/aims/{aimId}/actions`].post.requestBody.content['application/json'].schema;
    expect(Object.keys(actionBody.properties)).toEqual(
      expect.arrayContaining(['ownerId', 'startDate', 'dueDate', 'milestones', 'measures']),
    );
    expect(doc.paths[plan].get.responses['200'].content['application/json'].schema.properties.flags).toBeDefined();
  });
});
