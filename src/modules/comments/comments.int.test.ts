import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { createOrganisationWithService, openAssessmentInFieldwork } from '../../testing/team-assessments.js';
import { useTestApp } from '../../testing/test-app.js';
import { auditLog } from '../audit/audit.tables.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';

describeEachDatabase('comments on KLOEs and statements', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let colleague: TestUser;
  let orgMember: TestUser;
  let viewer: TestUser;
  let id: string;

  const api = (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  type Thread = {
    id: string;
    audience: string;
    statementRef: string | null;
    resolvedAt: string | null;
    comments: { body: string; authorName: string }[];
  };
  const threads = async (user: TestUser) =>
    ((await api(user, 'GET', `/api/assessments/${id}/kloes/4.1/comments`)).json() as { threads: Thread[] }).threads;
  const start = (user: TestUser, body: object) => api(user, 'POST', `/api/assessments/${id}/kloes/4.1/comments`, body);

  beforeAll(async () => {
    const { db } = t.database;
    const { organisationId: orgId, serviceId } = await createOrganisationWithService(db, 'Comment Borough Council');
    const organisation = { id: orgId };
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    colleague = await createTestUser(db, 'inspector', { name: 'Cal Colleague' });
    orgMember = await createTestUser(db, 'organisation_member', {
      organisationId: organisation.id,
      name: 'Olu Officer',
    });
    viewer = await createTestUser(db, 'viewer', { organisationId: organisation.id });
    id = await openAssessmentInFieldwork(t.app, lead, {
      organisationId: organisation.id,
      serviceId,
      title: 'Repairs inspection',
      memberUserIds: [colleague.actor.userId],
      sharedWithOrganisation: true,
    });
  });

  it('keeps team threads from the organisation, and shares organisation threads with it', async () => {
    const team = await start(lead, {
      audience: 'team',
      statementRef: '4.1-U1',
      body: 'The backlog figures look better than the site visit suggested',
      mentions: [colleague.actor.userId],
    });
    expect(team.statusCode, team.body).toBe(201);
    const shared = await start(lead, {
      audience: 'organisation',
      body: 'Could you send the repairs backlog for March?',
    });
    expect(shared.statusCode, shared.body).toBe(201);

    expect((await threads(colleague)).map((t) => t.audience)).toEqual(['team', 'organisation']);
    const seenByOrganisation = await threads(orgMember);
    expect(seenByOrganisation.map((t) => t.audience)).toEqual(['organisation']);
    expect(JSON.stringify(seenByOrganisation)).not.toContain('backlog figures');
    expect((await threads(viewer)).map((t) => t.audience)).toEqual(['organisation']);

    // The organisation may answer in its own thread, never write into the team's.
    const teamId = (team.json() as { threadId: string }).threadId;
    const sharedId = (shared.json() as { threadId: string }).threadId;
    expect(
      (await api(orgMember, 'POST', `/api/assessments/${id}/comment-threads/${teamId}/comments`, { body: 'Peek' }))
        .statusCode,
    ).toBe(404);
    expect((await start(orgMember, { audience: 'team', body: 'Sneaking in' })).statusCode).toBe(403);
    const answer = await api(orgMember, 'POST', `/api/assessments/${id}/comment-threads/${sharedId}/comments`, {
      body: 'Attached to the evidence request',
      mentions: [lead.actor.userId],
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await threads(lead))[1]!.comments.map((c) => c.authorName)).toEqual(['Lena Lead', 'Olu Officer']);
  });

  it('notifies the people mentioned, and refuses to mention someone who cannot read the thread', async () => {
    const colleagueNotices = (await api(colleague, 'GET', '/api/notifications')).json() as {
      notifications: { kind: string; text: string; href: string }[];
    };
    expect(colleagueNotices.notifications[0]).toMatchObject({
      kind: 'mentioned',
      text: 'Lena Lead mentioned you in a comment on statement 4.1-U1 of KLOE 4.1 of Repairs inspection: “The backlog figures look better than the site visit suggested”',
    });
    expect(colleagueNotices.notifications[0]!.href).toMatch(
      new RegExp(`^/assessments/${id}/kloes/4.1/comments#thread-`),
    );
    const leadNotices = (await api(lead, 'GET', '/api/notifications')).json() as { notifications: { text: string }[] };
    expect(leadNotices.notifications[0]!.text).toContain('Olu Officer mentioned you');

    const leaky = await start(lead, { audience: 'team', body: 'Between us', mentions: [orgMember.actor.userId] });
    expect(leaky.statusCode).toBe(400);
    expect(leaky.json()).toMatchObject({ code: 'invalid_request' });
    expect(leaky.body).toContain('mentions');
    const wrongStatement = await start(lead, { audience: 'team', statementRef: '4.2-P1', body: 'Elsewhere' });
    expect(wrongStatement.statusCode).toBe(400);
    expect(wrongStatement.body).toContain('4.2-P1 is not a statement of KLOE 4.1');
    expect((await start(lead, { audience: 'team', body: '   ' })).statusCode).toBe(400);
  });

  it('folds resolved threads away on the pages, keeps a refused comment’s text, and keeps comments out of the export', async () => {
    const [teamThread] = await threads(lead);
    const resolved = await api(lead, 'POST', `/api/assessments/${id}/comment-threads/${teamThread!.id}/resolve`);
    expect(resolved.statusCode, resolved.body).toBe(200);
    const kloe = await t.app.inject({ url: `/assessments/${id}/kloes/4.1`, headers: lead.headers });
    expect(kloe.body).toContain('Comment or reply (1 resolved thread)');
    expect(kloe.body).toContain('Could you send the repairs backlog for March?');
    expect(kloe.body).not.toContain('The backlog figures look better');
    const page = await t.app.inject({ url: `/assessments/${id}/kloes/4.1/comments`, headers: lead.headers });
    expect(page.body).toMatch(/<details[\s\S]*1 resolved thread[\s\S]*The backlog figures look better/);

    const refused = await submitForm(t.app, {
      page: `/assessments/${id}/kloes/4.1/comments`,
      headers: lead.headers,
      fields: { audience: 'team', statementRef: '4.1-U1', body: '' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('Write a comment');
    expect(refused.body).toMatch(/<option value="4.1-U1" selected/);
    const posted = await submitForm(t.app, {
      page: `/assessments/${id}/kloes/4.1/comments`,
      headers: lead.headers,
      fields: { audience: 'organisation', statementRef: '', body: 'Thank you, received' },
    });
    expect(posted.statusCode).toBe(303);

    const exported = await api(lead, 'GET', `/api/assessments/${id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).not.toContain('backlog');
    expect(exported.body).not.toContain('Thank you, received');
    const report = await t.app.inject({ url: `/assessments/${id}/report.html`, headers: lead.headers });
    expect(report.body).not.toContain('Thank you, received');
  });

  it('audits starting a thread, a reply, resolving and reopening, without the words said', async () => {
    const started = await start(colleague, { audience: 'team', body: 'Ask about the contractor’s figures' });
    const threadId = (started.json() as { threadId: string }).threadId;
    const thread = `/api/assessments/${id}/comment-threads/${threadId}`;
    expect((await api(colleague, 'POST', `${thread}/resolve`)).statusCode).toBe(200);
    // Resolving a resolved thread changes nothing, and is not audited again.
    expect((await api(colleague, 'POST', `${thread}/resolve`)).statusCode).toBe(200);
    expect((await api(lead, 'POST', `${thread}/comments`, { body: 'Not settled yet' })).statusCode).toBe(201);
    expect((await api(lead, 'POST', `${thread}/resolve`)).statusCode).toBe(200);
    expect((await api(colleague, 'POST', `${thread}/reopen`)).statusCode).toBe(200);

    const entries = await t.database.db
      .select({ action: auditLog.action, actorId: auditLog.actorId, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'comment_thread'), eq(auditLog.entityId, threadId)))
      .orderBy(auditLog.id);
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ['comment_thread.started', colleague.actor.userId],
      ['comment_thread.resolved', colleague.actor.userId],
      ['comment.added', lead.actor.userId],
      ['comment_thread.resolved', lead.actor.userId],
      ['comment_thread.reopened', colleague.actor.userId],
    ]);
    expect(entries[0]!.after).toMatchObject({ assessmentId: id, kloeRef: '4.1', audience: 'team' });
    expect(entries[2]!.after).toMatchObject({ reopened: true });
    expect(JSON.stringify(entries)).not.toMatch(/contractor|settled/);
  });
});
