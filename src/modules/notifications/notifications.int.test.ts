import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../testing/smtp-server.js';
import { createOrganisationWithService, openAssessmentInFieldwork } from '../../testing/team-assessments.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { assessments } from '../assessments/assessments.tables.js';
import { evidenceRequests } from '../evidence/evidence.tables.js';
import { multipartBody } from '../../files/multipart-body.js';
import { createNotificationsService, notifyOverdueRequests } from './index.js';

describeEachDatabase('notifications, in kloe and by email', (driver) => {
  let smtp: TestSmtpServer;
  const config: { smtp?: { url: string; from: string } } = {};
  // Before the app is built: it is given the SMTP server's address.
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    config.smtp = { url: smtp.url, from: 'kloe <kloe@example.test>' };
  });
  afterAll(() => smtp?.close());
  const t = useTestApp(driver, config);
  let lead: TestUser;
  let member: TestUser;
  let orgMember: TestUser;
  let id: string;
  let organisationId: string;

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const list = async (user: TestUser) =>
    (await api(user, 'GET', '/api/notifications')).json() as {
      unread: number;
      notifications: { id: string; kind: string; text: string; href: string; readAt: string | null }[];
    };
  const assign = (ref: string, dueOn: string | null = '2027-05-01') =>
    api(lead, 'PUT', `/api/assessments/${id}/kloes/${ref}/assignment`, {
      assigneeId: member.actor.userId,
      reviewerId: null,
      dueOn,
    });

  beforeAll(async () => {
    const { db } = t.database;
    const { organisationId: orgId, serviceId } = await createOrganisationWithService(db, 'Notice Borough Council');
    organisationId = orgId;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead', email: `lena-${driver}@example.test` });
    member = await createTestUser(db, 'inspector', { name: 'Mo Member', email: `mo-${driver}@example.test` });
    orgMember = await createTestUser(db, 'organisation_member', { organisationId, name: 'Olu Officer' });
    id = await openAssessmentInFieldwork(t.app, lead, {
      organisationId,
      serviceId,
      title: 'Repairs inspection',
      memberUserIds: [member.actor.userId],
      sharedWithOrganisation: true,
    });
  });

  it('emails an assignment through the SMTP server, with a link into kloe', async () => {
    const before = smtp.received.length;
    expect((await assign('4.1')).statusCode).toBe(200);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([`mo-${driver}@example.test`]);
    expect(mail!.raw).toContain('Subject: kloe: A KLOE was assigned to you');
    expect(mail!.raw).toContain('From: kloe <kloe@example.test>');
    expect(mail!.text).toContain('Lena Lead assigned you KLOE 4.1 of Repairs inspection, due 1 May 2027.');
    expect(mail!.text).toContain(`http://localhost:3000/assessments/${id}/kloes/4.1`);
  });

  it('answers the request before a slow mail server has taken the mail, and whatever a refusing one says', async () => {
    const gate = smtp.hold();
    const before = smtp.received.length;
    const answered = await assign('4.2');
    expect(answered.statusCode).toBe(200);
    await gate.arrived; // the mail is at the server, which has not accepted it yet
    expect(smtp.received.length).toBe(before);
    gate.release();
    await smtp.waitFor(before + 1);

    smtp.refuse(true);
    try {
      const refused = await assign('4.3');
      expect(refused.statusCode).toBe(200);
      expect((await list(member)).notifications[0]!.text).toContain('KLOE 4.3');
    } finally {
      smtp.refuse(false);
    }
  });

  it('counts unread notifications in the header, lists them on a page, and marks them read', async () => {
    const mine = await list(member);
    expect(mine.unread).toBe(3);
    const page = await t.app.inject({ url: '/notifications', headers: member.headers });
    expect(page.body).toMatch(/id="unread-count">3<span class="govuk-visually-hidden"> unread/);
    expect(page.body).toContain('Lena Lead assigned you KLOE 4.1 of Repairs inspection');

    // Someone else's notification is not found, and stays unread.
    expect((await api(lead, 'POST', `/api/notifications/${mine.notifications[0]!.id}/read`)).statusCode).toBe(404);
    const opened = await submitForm(t.app, {
      page: '/notifications',
      action: `/notifications/${mine.notifications[0]!.id}/read`,
      headers: member.headers,
      fields: {},
    });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(mine.notifications[0]!.href);
    expect((await list(member)).unread).toBe(2);
    const all = await submitForm(t.app, {
      page: '/notifications',
      action: '/notifications/read-all',
      headers: member.headers,
      fields: {},
    });
    expect(all.headers.location).toBe('/notifications?done=read');
    expect((await list(member)).unread).toBe(0);
    const after = await t.app.inject({ url: '/assessments', headers: member.headers });
    expect(after.body).not.toContain('id="unread-count"');
  });

  it('tells the lead of a challenge, its raiser of the resolution, and the requester of an answer', async () => {
    const { db } = t.database;
    await db.update(assessments).set({ status: 'moderation' }).where(eq(assessments.id, id));
    const raised = await api(member, 'POST', `/api/assessments/${id}/challenges`, {
      targetRef: '4.1',
      comment: 'The repairs backlog says otherwise',
    });
    expect(raised.statusCode, raised.body).toBe(201);
    expect((await list(lead)).notifications[0]).toMatchObject({
      kind: 'challenge_raised',
      text: 'Mo Member challenged the rating of KLOE 4.1 of Repairs inspection: “The repairs backlog says otherwise”',
    });
    const challengeId = (raised.json() as { id: string }).id;
    const resolved = await api(lead, 'POST', `/api/assessments/${id}/challenges/${challengeId}/resolve`, {
      outcome: 'accepted',
      reason: 'The backlog is falling',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await list(member)).notifications[0]!.text).toBe(
      'Lena Lead resolved your challenge to KLOE 4.1 of Repairs inspection: kept the rating. “The backlog is falling”',
    );

    await db.update(assessments).set({ status: 'fieldwork' }).where(eq(assessments.id, id));
    const request = await api(lead, 'POST', `/api/assessments/${id}/evidence-requests`, {
      what: 'Tenant survey',
      dueOn: '2099-01-01',
      kloeRefs: ['4.1'],
    });
    expect(request.statusCode, request.body).toBe(201);
    const requestId = (request.json() as { id: string }).id;
    const upload = multipartBody({}, [
      { name: 'survey.txt', bytes: Buffer.from('Tenant survey: 87 per cent satisfied') },
    ]);
    const answer = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${id}/evidence-requests/${requestId}/answer`,
      headers: { ...orgMember.headers, ...upload.headers },
      payload: upload.payload,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await list(lead)).notifications[0]).toMatchObject({
      kind: 'request_answered',
      text: 'Olu Officer answered your evidence request “Tenant survey” of Repairs inspection.',
    });
  });

  it('tells the requester and the lead of an overdue request once, however often it is swept', async () => {
    const { db } = t.database;
    const [overdue] = await db
      .insert(evidenceRequests)
      .values({
        assessmentId: id,
        what: 'Repairs policy',
        dueOn: '2020-01-01',
        kloeRefs: ['4.1'],
        requestedBy: member.actor.userId,
      })
      .returning();
    const notifications = createNotificationsService({ db, baseUrl: 'http://localhost:3000', log: () => {} });
    await notifyOverdueRequests(db, notifications.notify);
    await notifyOverdueRequests(db, notifications.notify);
    const forMember = (await list(member)).notifications.filter((n) => n.kind === 'request_overdue');
    const forLead = (await list(lead)).notifications.filter((n) => n.kind === 'request_overdue');
    expect(forMember).toHaveLength(1);
    expect(forLead).toHaveLength(1);
    expect(forLead[0]!.text).toBe(
      'The evidence request “Repairs policy” of Repairs inspection was due on 1 January 2020 and is still unanswered.',
    );
    expect(overdue).toBeDefined();
  });
});
