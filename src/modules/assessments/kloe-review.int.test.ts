import { asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditLog } from '../audit/audit.tables.js';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { createOrganisationWithService, openAssessmentInFieldwork } from '../../testing/team-assessments.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';

describeEachDatabase('assignment and review of KLOEs', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let drafter: TestUser;
  let reviewer: TestUser;
  let outsider: TestUser;
  let id: string;

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers });
  const notificationsOf = async (user: TestUser) =>
    (await api(user, 'GET', '/api/notifications')).json() as {
      unread: number;
      notifications: { kind: string; text: string; href: string }[];
    };
  const saveFinding = async (user: TestUser, ref: string) => {
    const { version } = (await api(user, 'GET', `/api/assessments/${id}/kloes/${ref}`)).json() as { version: number };
    return api(user, 'PUT', `/api/assessments/${id}/kloes/${ref}`, {
      version,
      findings: [{ statementRef: `${ref}-P1`, outcome: 'met' }],
    });
  };

  beforeAll(async () => {
    const { db } = t.database;
    const { organisationId: orgId, serviceId } = await createOrganisationWithService(db, 'Review Borough Council');
    const organisation = { id: orgId };
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    drafter = await createTestUser(db, 'inspector', { name: 'Dana Drafter' });
    reviewer = await createTestUser(db, 'inspector', { name: 'Rae Reviewer' });
    outsider = await createTestUser(db, 'inspector', { name: 'Otto Outsider' });
    id = await openAssessmentInFieldwork(t.app, lead, {
      organisationId: organisation.id,
      serviceId,
      title: 'Repairs inspection',
      memberUserIds: [drafter.actor.userId, reviewer.actor.userId],
    });
  });

  it('lets only the lead assign, to people on the team, and tells the people assigned', async () => {
    const body = { assigneeId: drafter.actor.userId, reviewerId: reviewer.actor.userId, dueOn: '2027-03-14' };
    const byMember = await api(drafter, 'PUT', `/api/assessments/${id}/kloes/4.1/assignment`, body);
    expect(byMember.statusCode).toBe(403);
    const toOutsider = await api(lead, 'PUT', `/api/assessments/${id}/kloes/4.1/assignment`, {
      ...body,
      assigneeId: outsider.actor.userId,
    });
    expect(toOutsider.statusCode).toBe(400);
    expect(toOutsider.json().errors ?? toOutsider.json().problems ?? toOutsider.body).toBeDefined();
    expect(toOutsider.body).toContain('assigneeId');
    const assigned = await api(lead, 'PUT', `/api/assessments/${id}/kloes/4.1/assignment`, body);
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ state: 'drafting', assigneeId: drafter.actor.userId, dueOn: '2027-03-14' });

    const told = await notificationsOf(drafter);
    expect(told.unread).toBe(1);
    expect(told.notifications[0]!.text).toBe(
      'Lena Lead assigned you KLOE 4.1 of Repairs inspection, due 14 March 2027.',
    );
    expect((await notificationsOf(reviewer)).notifications[0]!.text).toContain('named you the reviewer of KLOE 4.1');

    const board = (await api(outsider, 'GET', `/api/assessments/${id}/assignments`)).statusCode;
    expect(board).toBe(404); // not on the team: the assessment is not theirs to see
    const kloes = (
      (await api(drafter, 'GET', `/api/assessments/${id}/assignments`)).json() as {
        kloes: { kloeRef: string; state: string; assignee: { name: string } | null }[];
      }
    ).kloes;
    expect(kloes).toHaveLength(15);
    expect(kloes.find((k) => k.kloeRef === '4.1')).toMatchObject({
      state: 'drafting',
      assignee: { name: 'Dana Drafter' },
    });
    expect(kloes.find((k) => k.kloeRef === '4.2')).toMatchObject({ state: 'drafting', assignee: null });
  });

  it('moves drafting → ready for review → reviewed, and a reviewed KLOE refuses changes until reopened with a reason', async () => {
    const review = (user: TestUser, to: string, reason?: string) =>
      api(user, 'POST', `/api/assessments/${id}/kloes/4.1/review`, { to, ...(reason ? { reason } : {}) });
    expect((await review(drafter, 'reviewed')).statusCode).toBe(409); // not ready yet
    expect((await review(outsider, 'ready_for_review')).statusCode).toBe(404);
    const ready = await review(drafter, 'ready_for_review');
    expect(ready.statusCode, ready.body).toBe(200);
    expect((await notificationsOf(reviewer)).notifications[0]!.text).toBe(
      'Dana Drafter marked KLOE 4.1 of Repairs inspection ready for your review.',
    );
    expect((await review(drafter, 'reviewed')).statusCode).toBe(403); // the holder does not sign off their own work
    const signed = await review(reviewer, 'reviewed');
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ state: 'reviewed', reviewedBy: reviewer.actor.userId });

    const refused = await saveFinding(drafter, '4.1');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'kloe_reviewed' });
    expect((await saveFinding(drafter, '4.2')).statusCode).toBe(200); // other KLOEs are not held back

    const noReason = await review(lead, 'drafting');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    const reopened = await review(lead, 'drafting', 'The tenant survey results came in late');
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({
      state: 'drafting',
      reopenReason: 'The tenant survey results came in late',
    });
    expect((await notificationsOf(drafter)).notifications[0]!.text).toContain(
      'Lena Lead reopened KLOE 4.1 of Repairs inspection: “The tenant survey results came in late”',
    );
    expect((await saveFinding(drafter, '4.1')).statusCode).toBe(200);

    // Every step is in the KLOE's history, with the reason.
    const history = await get(lead, `/assessments/${id}/kloes/4.1`);
    expect(history.body).toContain('The tenant survey results came in late');
    const actions = (
      await t.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(eq(auditLog.entityId, `${id}/4.1`))
        .orderBy(asc(auditLog.id))
    ).map((r) => r.action);
    expect(actions.filter((a) => a === 'kloe.review_moved')).toHaveLength(3);
    expect(actions).toContain('kloe.assigned');
  });

  it('shows the state and holder of every KLOE on the overview and the assignments page, and the lead’s form keeps what was typed', async () => {
    const overview = await get(drafter, `/assessments/${id}`);
    expect(overview.body).toContain('Who holds each KLOE');
    expect(overview.body).toMatch(/id="kloe-4\.1"[\s\S]*?Drafting[\s\S]*?Dana Drafter[\s\S]*?Rae Reviewer/);
    const page = await get(lead, `/assessments/${id}/assignments`);
    expect(page.body).toContain('15 drafting · 0 ready for review · 0 reviewed');
    expect(page.body).toContain(`/assessments/${id}/kloes/4.3/assignment`);

    const form = `/assessments/${id}/kloes/4.3/assignment`;
    const bad = await submitForm(t.app, {
      page: form,
      headers: lead.headers,
      fields: {
        assigneeId: drafter.actor.userId,
        reviewerId: '',
        'dueOn-day': '31',
        'dueOn-month': '2',
        'dueOn-year': '2027',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('The due date must be a real date');
    expect(bad.body).toMatch(/name="dueOn-day"[^>]*value="31"/);
    const good = await submitForm(t.app, {
      page: form,
      headers: lead.headers,
      fields: {
        assigneeId: drafter.actor.userId,
        reviewerId: '',
        'dueOn-day': '1',
        'dueOn-month': '4',
        'dueOn-year': '2027',
      },
    });
    expect(good.statusCode, good.body).toBe(303);
    const after = (await api(lead, 'GET', `/api/assessments/${id}/assignments`)).json() as {
      kloes: { kloeRef: string; dueOn: string | null }[];
    };
    expect(after.kloes.find((k) => k.kloeRef === '4.3')!.dueOn).toBe('2027-04-01');
    expect((await get(drafter, form)).statusCode).toBe(403);
  });

  it('asks for a reason on its own page before sending back, and shows a reviewed KLOE read-only', async () => {
    await api(drafter, 'POST', `/api/assessments/${id}/kloes/4.3/review`, { to: 'ready_for_review' });
    const page = `/assessments/${id}/kloes/4.3/review?to=drafting`;
    const empty = await submitForm(t.app, {
      page,
      action: `/assessments/${id}/kloes/4.3/review`,
      headers: lead.headers,
      fields: { to: 'drafting', reason: ' ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Say why KLOE 4.3 is sent back to drafting');
    await api(lead, 'POST', `/api/assessments/${id}/kloes/4.3/review`, { to: 'reviewed' });
    const kloe = await get(drafter, `/assessments/${id}/kloes/4.3`);
    expect(kloe.body).toContain('Signed off by Lena Lead');
    expect(kloe.body).not.toContain('id="kloe-work" novalidate'); // no form: it reads
    const lead43 = await get(lead, `/assessments/${id}/kloes/4.3`);
    expect(lead43.body).toContain(`/assessments/${id}/kloes/4.3/review?to=drafting`);
  });
});
