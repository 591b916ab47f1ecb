/**
 * Who reaches a plan, through every plan route there is (pages and API, read from the app's routes so that a
 * new one is covered when it is added): the organisation's members and viewers; an inspector on the team of
 * an inspection of the organisation, who also comments; administrators. An inspector who inspects nothing of
 * the organisation, and another organisation's member, find nothing (404).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import type { Role } from '../accounts/accounts.tables.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const isPlanRoute = (url: string) => /\/services\/:serviceId\/(plan|track-record)/.test(url);

describeEachDatabase('who reaches an improvement plan, route by route', (driver) => {
  const t = useTestApp(driver);
  const people = {} as Record<
    'member' | 'viewer' | 'teamInspector' | 'otherInspector' | 'admin' | 'outsider',
    TestUser
  >;
  const params: Record<string, string> = {};

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Reach Council' });
    const other = await createTestOrganisation(db, { name: 'Far Council' });
    const services = createOrganisationsService({ db });
    const service = await services.createService(SYSTEM, org.id, { name: 'Repairs', description: null });
    const otherService = await services.createService(SYSTEM, other.id, { name: 'Repairs', description: null });
    people.member = await createTestUser(db, 'organisation_member', { organisationId: org.id });
    people.viewer = await createTestUser(db, 'viewer', { organisationId: org.id });
    people.teamInspector = await createTestUser(db, 'inspector', { name: 'Tess Team' });
    people.otherInspector = await createTestUser(db, 'inspector', { name: 'Otto Other' });
    people.admin = await createTestUser(db, 'administrator');
    people.outsider = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    const assessments = createAssessmentsService({ db });
    const subject = { serviceId: service.id, frameworkId: 'audit-commission-j2', kind: 'inspection' as const };
    await assessments.create(people.teamInspector.actor, { ...subject, organisationId: org.id, title: 'Ours' });
    // The other inspector inspects another organisation, not this one.
    await assessments.create(people.otherInspector.actor, {
      ...subject,
      organisationId: other.id,
      serviceId: otherService.id,
      title: 'Theirs',
    });
    const base = `/api/organisations/${org.id}/services/${service.id}/plan`;
    const aim = await t.app.inject({
      method: 'POST',
      url: `${base}/aims`,
      headers: people.member.headers,
      payload: { title: 'Repairs done right first time' },
    });
    const action = await t.app.inject({
      method: 'POST',
      url: `${base}/aims/${aim.json().id}/actions`,
      headers: people.member.headers,
      payload: { title: 'Survey tenants', dueDate: '2028-03-31' },
    });
    // Overdue: what monitoring lists.
    await t.app.inject({
      method: 'POST',
      url: `${base}/aims/${aim.json().id}/actions`,
      headers: people.member.headers,
      payload: { title: 'Publish the survey results', startDate: '2024-04-01', dueDate: '2025-03-31' },
    });
    Object.assign(params, {
      id: org.id,
      serviceId: service.id,
      aimId: aim.json().id,
      actionId: action.json().id,
    });
  });

  const urlOf = (route: string) => route.replace(/:(\w+)/g, (_m, name: string) => params[name]!);
  const get = (who: TestUser, url: string) => t.app.inject({ url, headers: who.headers });

  it('answers every plan page and API read as the reader may see it', async () => {
    const reads = t.app.routeAccess.filter((r) => r.method === 'GET' && isPlanRoute(r.url));
    expect(reads.length).toBeGreaterThan(15);
    const failures: string[] = [];
    const admits = (roles: unknown, role: Role) =>
      roles === 'public' || roles === 'signed-in' || (roles as { roles: Role[] }).roles.includes(role);
    for (const route of reads) {
      const url = urlOf(route.url);
      const expected: [keyof typeof people, number][] = [
        ['member', 200],
        ['viewer', admits(route.access, 'viewer') ? 200 : 403],
        ['teamInspector', admits(route.access, 'inspector') ? 200 : 403],
        ['otherInspector', admits(route.access, 'inspector') ? 404 : 403],
        ['admin', admits(route.access, 'administrator') ? 200 : 403],
        ['outsider', 404],
      ];
      for (const [who, status] of expected) {
        const res = await get(people[who], url);
        if (res.statusCode !== status) failures.push(`${route.url} as ${who}: ${res.statusCode}, not ${status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets the inspecting inspector comment, on the page and in the API; not the other inspector', async () => {
    const api = urlOf('/api/organisations/:id/services/:serviceId/plan/comments');
    const comment = (who: TestUser, body: string) =>
      t.app.inject({ method: 'POST', url: api, headers: who.headers, payload: { body, actionId: params.actionId } });
    expect((await comment(people.teamInspector, 'Where is the survey?')).statusCode).toBe(201);
    expect((await comment(people.otherInspector, 'Not mine to ask')).statusCode).toBe(404);
    expect((await comment(people.viewer, 'Me too')).statusCode).toBe(403);

    const page = urlOf('/organisations/:id/services/:serviceId/plan/comments/new');
    const posted = await submitForm(t.app, {
      page,
      headers: people.teamInspector.headers,
      fields: { body: 'And the results?', actionId: '' },
    });
    expect(posted.statusCode, posted.body).toBe(303);
    const plan = await get(people.viewer, urlOf('/api/organisations/:id/services/:serviceId/plan'));
    expect(plan.json().comments.map((c: { body: string }) => c.body)).toEqual([
      'Where is the survey?',
      'And the results?',
    ]);
  });

  it('monitors only the plans of the organisations an inspector inspects', async () => {
    const monitored = async (who: TestUser) =>
      (await get(who, '/api/plans/monitoring')).json().actions.map((r: { actionTitle: string }) => r.actionTitle);
    expect(await monitored(people.admin)).toContain('Publish the survey results');
    expect(await monitored(people.teamInspector)).toContain('Publish the survey results');
    expect(await monitored(people.otherInspector)).not.toContain('Publish the survey results');
    const page = await get(people.otherInspector, '/plans/monitoring');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Reach Council');
    const csv = await get(people.otherInspector, '/plans/monitoring.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('Publish the survey results');
  });
});
