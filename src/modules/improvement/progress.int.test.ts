import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { evidenceItems } from '../evidence/evidence.tables.js';
import { insertIndicator } from '../indicators/indicators.repository.js';
import { indicatorValues } from '../indicators/indicators.tables.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { improvementProgressUpdates } from './improvement.tables.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('progress, status and comments on plan actions', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let viewer: TestUser;
  let inspector: TestUser;
  let outsider: TestUser;
  let base: string;
  let actionPath: string;
  let aimId: string;
  let actionId: string;
  let evidenceId: string;
  let hiddenEvidenceId: string;
  let indicatorId: string;
  let organisationId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Progress Council' });
    organisationId = org.id;
    const other = await createTestOrganisation(db, { name: 'Elsewhere Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: 'Repairs',
      description: null,
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Mo Member' });
    viewer = await createTestUser(db, 'viewer', { organisationId: org.id });
    outsider = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    inspector = await createTestUser(db, 'inspector', { name: 'Ines Inspector' });
    const indicator = await insertIndicator(db, {
      code: 'PRG-SAT',
      title: 'Tenants satisfied',
      unit: '%',
      polarity: 'higher',
      category: 'satisfaction',
      serviceArea: 'Housing repairs',
      periodType: 'financial_year',
    });
    indicatorId = indicator.id;
    await db
      .insert(indicatorValues)
      .values({ indicatorId, organisationId: org.id, periodIndex: 2024, period: '2024/25', value: 60 });
    const assessments = createAssessmentsService({ db });
    const subject = { organisationId: org.id, serviceId: service.id, frameworkId: 'audit-commission-j2' };
    const own = await assessments.create(member.actor, { ...subject, kind: 'self_assessment', title: 'Own' });
    const closed = await assessments.create(inspector.actor, { ...subject, kind: 'inspection', title: 'Closed' });
    evidenceId = (
      await db
        .insert(evidenceItems)
        .values({ assessmentId: own.id, title: 'Survey results', kind: 'survey' })
        .returning({ id: evidenceItems.id })
    )[0]!.id;
    hiddenEvidenceId = (
      await db
        .insert(evidenceItems)
        .values({ assessmentId: closed.id, title: 'Inspector notes', kind: 'observation' })
        .returning({ id: evidenceItems.id })
    )[0]!.id;
    base = `/api/organisations/${org.id}/services/${service.id}/plan`;
    const aim = await api(member, 'POST', `${base}/aims`, { title: 'Satisfied tenants' });
    aimId = aim.json().id;
    // Started well before today and due well after it: the time line is part way along whatever the date.
    const action = await api(member, 'POST', `${base}/aims/${aimId}/actions`, {
      title: 'Survey after every repair',
      startDate: '2025-01-01',
      dueDate: '2029-12-31',
      milestones: [{ title: 'Survey live', date: '2029-06-30' }],
      measures: [{ indicatorCode: 'PRG-SAT', baseline: 60, target: 80, targetPeriod: '2029/30' }],
    });
    actionId = action.json().id;
    actionPath = `${base}/aims/${aimId}/actions/${actionId}`;
  });

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const fields = (res: { json: () => { errors?: { field: string }[] } }) =>
    (res.json().errors ?? []).map((p) => p.field);
  const value = (periodIndex: number, v: number) =>
    t.database.db.insert(indicatorValues).values({
      indicatorId,
      organisationId,
      periodIndex,
      period: `${periodIndex}/${(periodIndex + 1) % 100}`,
      value: v,
    });

  it('suggests the status from the indicator against its time line, and changes it as values arrive', async () => {
    await value(2025, 76); // 80% of the way, ahead of the time line
    const ahead = (await api(viewer, 'GET', actionPath)).json();
    expect(ahead.status).toMatchObject({
      status: 'on_track',
      label: 'On track',
      suggested: 'on_track',
      override: null,
    });
    await value(2026, 55); // below the baseline
    const behind = (await api(viewer, 'GET', actionPath)).json();
    expect(behind.status).toMatchObject({ status: 'off_track', label: 'Off track' });
    expect(behind.status.reasons.join(' ')).toContain('PRG-SAT has moved away from its target');
    const plan = (await api(inspector, 'GET', base)).json();
    expect(plan.aims[0].actions[0].status.status).toBe('off_track');
  });

  it('records progress with milestones and evidence, audited; bad input names the field and saves nothing', async () => {
    const good = { recordedOn: '2026-01-15', note: 'Survey went live', milestonesReached: ['Survey live'] };
    const saved = await api(member, 'POST', `${actionPath}/progress`, { ...good, evidenceItemIds: [evidenceId] });
    expect(saved.statusCode, saved.body).toBe(201);
    const detail = (await api(member, 'GET', actionPath)).json();
    expect(detail.progress).toMatchObject([{ note: 'Survey went live', authorName: 'Mo Member' }]);
    const audited = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'improvement_progress.recorded'));
    expect(audited).toHaveLength(1);

    const cases: [Record<string, unknown>, string][] = [
      [{ recordedOn: '2999-01-01' }, 'recordedOn'],
      [{ milestonesReached: ['Not one of them'] }, 'milestonesReached.0'],
      [{ evidenceItemIds: [hiddenEvidenceId] }, 'evidenceItemIds.0'],
      [{ note: '' }, 'body.note'],
    ];
    for (const [change, field] of cases) {
      const res = await api(member, 'POST', `${actionPath}/progress`, { ...good, ...change });
      expect(res.statusCode, field).toBe(400);
      expect(fields(res)).toEqual([field]);
    }
    expect(await t.database.db.select().from(improvementProgressUpdates)).toHaveLength(1);
    for (const reader of [viewer, inspector]) {
      expect((await api(reader, 'POST', `${actionPath}/progress`, good)).statusCode).toBe(403);
    }
    expect((await api(outsider, 'GET', actionPath)).statusCode).toBe(404);
  });

  it('takes the suggested status without a reason; another needs one; a stale version gets 409', async () => {
    const detail = (await api(member, 'GET', actionPath)).json();
    const noReason = await api(member, 'PUT', `${actionPath}/status`, { status: 'at_risk', version: detail.version });
    expect(noReason.statusCode).toBe(400);
    expect(fields(noReason)).toEqual(['reason']);
    const reason = 'A second survey is booked for March; the dip was one bad month.';
    const set = await api(member, 'PUT', `${actionPath}/status`, {
      status: 'at_risk',
      reason,
      version: detail.version,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().status).toMatchObject({
      status: 'at_risk',
      suggested: 'off_track',
      override: { status: 'at_risk', reason },
    });
    const stale = await api(member, 'PUT', `${actionPath}/status`, { status: 'off_track', version: detail.version });
    expect(stale.statusCode).toBe(409);
    const back = await api(member, 'PUT', `${actionPath}/status`, { status: 'off_track', version: set.json().version });
    expect(back.json().status).toMatchObject({ status: 'off_track', override: null });
  });

  it('lets inspectors and members comment on the plan or an action, not viewers', async () => {
    const onAction = await api(inspector, 'POST', `${base}/comments`, { body: 'Where is the survey?', actionId });
    expect(onAction.statusCode, onAction.body).toBe(201);
    expect((await api(member, 'POST', `${base}/comments`, { body: 'In the evidence' })).statusCode).toBe(201);
    expect((await api(viewer, 'POST', `${base}/comments`, { body: 'Me too' })).statusCode).toBe(403);
    expect((await api(outsider, 'POST', `${base}/comments`, { body: 'Hello' })).statusCode).toBe(404);
    const stray = await api(inspector, 'POST', `${base}/comments`, { body: 'x', actionId: evidenceId });
    expect(fields(stray)).toEqual(['actionId']);
    const plan = (await api(viewer, 'GET', base)).json();
    expect(plan.comments.map((c: { authorName: string; body: string }) => [c.authorName, c.body])).toEqual([
      ['Ines Inspector', 'Where is the survey?'],
      ['Mo Member', 'In the evidence'],
    ]);
  });

  it('refuses a circle of dependencies and deleting what another action depends on', async () => {
    const second = await api(member, 'POST', `${base}/aims/${aimId}/actions`, {
      title: 'Publish results',
      dependsOn: [actionId],
    });
    expect(second.statusCode, second.body).toBe(201);
    const first = (await api(member, 'GET', actionPath)).json();
    const circle = await api(member, 'PUT', actionPath, {
      title: first.title,
      dependsOn: [second.json().id],
      version: first.version,
    });
    expect(circle.statusCode).toBe(400);
    expect(fields(circle)).toEqual(['dependsOn']);
    expect(circle.body).toContain('“Survey after every repair” → “Publish results” → “Survey after every repair”');
    const self = await api(member, 'PUT', actionPath, {
      title: first.title,
      dependsOn: [actionId],
      version: first.version,
    });
    expect(fields(self)).toEqual(['dependsOn.0']);

    const refused = await api(member, 'DELETE', `${actionPath}?version=${first.version}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('action_depended_on');
    const secondPath = `${base}/aims/${aimId}/actions/${second.json().id}`;
    expect((await api(member, 'DELETE', `${secondPath}?version=99`)).statusCode).toBe(409);
    expect((await api(viewer, 'DELETE', `${secondPath}?version=1`)).statusCode).toBe(403);
    expect((await api(member, 'DELETE', `${secondPath}?version=1`)).statusCode).toBe(204);
    expect((await api(member, 'DELETE', `${base}/aims/${aimId}?version=1`)).statusCode).toBe(204);
    expect((await api(member, 'GET', base)).json().aims).toEqual([]);
    const deleted = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'improvement_aim.deleted'));
    expect(deleted).toHaveLength(1);
  });
});
