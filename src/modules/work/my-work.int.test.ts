import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { createOrganisationWithService, openAssessmentInFieldwork } from '../../testing/team-assessments.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { assessments, assessmentTeam, challenges } from '../assessments/assessments.tables.js';
import { evidenceRequests } from '../evidence/evidence.tables.js';

describeEachDatabase('my work, the home page once signed in', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let member: TestUser;
  let officer: TestUser;
  let id: string;

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    const { db } = t.database;
    const { organisationId: orgId, serviceId } = await createOrganisationWithService(db, 'Work Borough Council');
    const organisation = { id: orgId };
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    member = await createTestUser(db, 'inspector', { name: 'Mo Member' });
    officer = await createTestUser(db, 'organisation_member', { organisationId: organisation.id, name: 'Olu Officer' });
    id = await openAssessmentInFieldwork(t.app, lead, {
      organisationId: organisation.id,
      serviceId,
      title: 'Repairs inspection',
      memberUserIds: [member.actor.userId],
      sharedWithOrganisation: true,
    });
    await api(lead, 'PUT', `/api/assessments/${id}/kloes/4.2/assignment`, {
      assigneeId: member.actor.userId,
      reviewerId: null,
      dueOn: '2020-02-01',
    });
    await api(lead, 'PUT', `/api/assessments/${id}/kloes/4.1/assignment`, {
      assigneeId: member.actor.userId,
      reviewerId: null,
      dueOn: '2099-01-01',
    });
    await api(member, 'POST', `/api/assessments/${id}/kloes/4.1/review`, { to: 'ready_for_review' });
    await db.insert(evidenceRequests).values([
      {
        assessmentId: id,
        what: 'Repairs policy',
        dueOn: '2020-01-01',
        kloeRefs: ['4.1'],
        requestedBy: lead.actor.userId,
      },
      {
        assessmentId: id,
        what: 'Five-year plan',
        dueOn: '2099-12-31',
        kloeRefs: ['4.2'],
        requestedBy: lead.actor.userId,
      },
    ]);
    await db.update(assessments).set({ status: 'moderation' }).where(eq(assessments.id, id));
    await db
      .insert(challenges)
      .values({ assessmentId: id, targetRef: '4.3', comment: 'Too generous', raisedBy: member.actor.userId });
  });

  it('shows each person what is theirs: KLOEs held with due dates, reviews, challenges, requests, statuses', async () => {
    const mine = (await api(member, 'GET', '/api/my-work')).json() as {
      assigned: { kloeRef: string; dueOn: string; overdue: boolean; state: string }[];
      toReview: unknown[];
      challenges: unknown[];
      requests: { what: string; overdue: boolean }[];
      statuses: { status: string; count: number }[];
    };
    expect(mine.assigned.map((k) => [k.kloeRef, k.state, k.overdue])).toEqual([
      ['4.2', 'drafting', true],
      ['4.1', 'ready_for_review', false],
    ]);
    expect(mine.toReview).toEqual([]);
    expect(mine.challenges).toEqual([]);
    // Due within 14 days or overdue: the far-off request is not listed.
    expect(mine.requests.map((r) => [r.what, r.overdue])).toEqual([['Repairs policy', true]]);
    expect(mine.statuses).toContainEqual({ status: 'moderation', count: 1 });

    const leads = (await api(lead, 'GET', '/api/my-work')).json() as {
      toReview: { kloeRef: string }[];
      challenges: { targetRef: string; comment: string; raisedByName: string }[];
    };
    expect(leads.toReview.map((k) => k.kloeRef)).toEqual(['4.1']);
    expect(leads.challenges).toMatchObject([{ targetRef: '4.3', comment: 'Too generous', raisedByName: 'Mo Member' }]);

    const asked = (await api(officer, 'GET', '/api/my-work')).json() as { askedOfOrganisation: { what: string }[] };
    expect(asked.askedOfOrganisation.map((r) => r.what)).toEqual(['Repairs policy', 'Five-year plan']);
  });

  it('is the home page once signed in; signed out, the home page says what kloe is', async () => {
    const home = await t.app.inject({ url: '/', headers: member.headers });
    expect(home.body).toContain('<h1 class="govuk-heading-xl">My work</h1>');
    expect(home.body).toMatch(/KLOE 4\.2<\/a>[\s\S]*?Overdue/);
    expect(home.body).toContain('Evidence requests due or overdue');
    const officerHome = await t.app.inject({ url: '/', headers: officer.headers });
    expect(officerHome.body).toContain('What your organisation has been asked for');
    expect(officerHome.body).toContain('Five-year plan');
    const anonymous = await t.app.inject({ url: '/' });
    expect(anonymous.body).toContain('Inspect and self-assess public services with kloe');
  });

  it('lists no KLOE of an assessment its holder was taken off the team of, though it is still assigned', async () => {
    await t.database.db
      .delete(assessmentTeam)
      .where(and(eq(assessmentTeam.assessmentId, id), eq(assessmentTeam.userId, member.actor.userId)));
    const mine = (await api(member, 'GET', '/api/my-work')).json() as { assigned: unknown[] };
    expect(mine.assigned).toEqual([]);
    const leads = (await api(lead, 'GET', '/api/my-work')).json() as { toReview: { kloeRef: string }[] };
    expect(leads.toReview.map((k) => k.kloeRef)).toEqual(['4.1']);
  });
});
