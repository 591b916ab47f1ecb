/**
 * The factual accuracy check (issue 23 item 7): the lead sends the draft, the organisation's members are told
 * and comment section by section until the deadline, the team answers, and publishing waits for both unless
 * the lead says why; every step is audited and the exchange travels in the export, not in the report.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { notifications } from '../notifications/notifications.tables.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { createJudgedAssessment } from '../reports/testing/report-fixtures.js';
import { ukDay as today } from '../../dates.js';
import { accuracyChecks } from './publishing.tables.js';

describeEachDatabase('factual accuracy check', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let id: string;
  let commentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    const judged = await createJudgedAssessment(db, lead.actor);
    id = judged.id;
    member = await createTestUser(db, 'organisation_member', {
      organisationId: judged.organisationId,
      name: 'Mo Member',
    });
    const elsewhere = await createTestOrganisation(db);
    outsider = await createTestUser(db, 'organisation_member', { organisationId: elsewhere.id, name: 'Olly Other' });
  });

  const api = (user: TestUser, method: 'GET' | 'PUT' | 'POST', path = '', payload?: object) =>
    t.app.inject({ method, url: `/api/assessments/${id}/factual-accuracy${path}`, headers: user.headers, payload });
  const publish = async (reason?: string) => {
    const { assessment } = await createAssessmentsService({ db: t.database.db }).get(lead.actor, id);
    return t.app.inject({
      method: 'POST',
      url: `/api/assessments/${id}/status`,
      headers: lead.headers,
      payload: { status: 'published', version: assessment.version, ...(reason ? { reason } : {}) },
    });
  };

  it('is not open to the organisation before the lead sends the draft', async () => {
    expect((await api(member, 'GET')).statusCode).toBe(404);
    const res = await api(lead, 'GET');
    expect(res.json()).toMatchObject({ sent: false, open: false, comments: [] });
    expect(
      res
        .json()
        .sections.map((s: { id: string }) => s.id)
        .slice(0, 5),
    ).toEqual(['summary', '4', '5', '6', '4.1']);
  });

  it('refuses a deadline in the past, naming the field', async () => {
    const res = await api(lead, 'PUT', '', { deadline: '2020-01-01' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([{ field: 'deadline', message: 'The deadline must be today or later' }]);
  });

  it('sends the draft: shares the inspection, notifies each member, audits it', async () => {
    const res = await api(lead, 'PUT', '', { deadline: today(), message: 'Please check the figures.' });
    expect(res.statusCode, res.body).toBe(200);
    const seen = await api(member, 'GET');
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      sent: true,
      open: true,
      deadline: today(),
      message: 'Please check the figures.',
    });
    const told = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member.actor.userId), eq(notifications.kind, 'accuracy_check')));
    expect(told).toHaveLength(1);
    expect(told[0]!.href).toBe(`/assessments/${id}/factual-accuracy`);
  });

  it('takes comments from the organisation’s members only, on sections of the report', async () => {
    expect((await api(lead, 'POST', '/comments', { section: '4.1', body: 'x' })).statusCode).toBe(403);
    expect((await api(outsider, 'POST', '/comments', { section: '4.1', body: 'x' })).statusCode).toBe(404);
    const wrong = await api(member, 'POST', '/comments', { section: '9.9', body: 'x' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('section');
    const res = await api(member, 'POST', '/comments', {
      section: '4.1',
      body: 'The repairs plan was adopted in March, not May.',
    });
    expect(res.statusCode, res.body).toBe(201);
    commentId = res.json().id;
    const leadTold = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, lead.actor.userId), eq(notifications.kind, 'accuracy_comment')));
    expect(leadTold[0]!.text).toContain('KLOE 4.1');
  });

  it('refuses to publish while a comment is unanswered or before the deadline, unless the lead says why', async () => {
    const refused = await publish();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('1 factual accuracy comment is not answered');
    expect(refused.json().detail).toContain('record why it should be published now');
  });

  it('takes the team’s answer; "not accepted" needs a reason; the author is told', async () => {
    const bare = await api(lead, 'POST', `/comments/${commentId}/answer`, { response: 'not_accepted' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('text');
    expect((await api(member, 'POST', `/comments/${commentId}/answer`, { response: 'accepted' })).statusCode).toBe(403);
    const res = await api(lead, 'POST', `/comments/${commentId}/answer`, {
      response: 'changed',
      text: 'Corrected to March.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const check = (await api(member, 'GET')).json();
    expect(check.unanswered).toBe(0);
    expect(check.comments[0]).toMatchObject({
      response: 'changed',
      responseText: 'Corrected to March.',
      answeredByName: 'Lena Lead',
    });
    const told = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, member.actor.userId), eq(notifications.kind, 'accuracy_answered')));
    expect(told).toHaveLength(1);
  });

  it('still waits for the deadline; once it has passed, publishing goes ahead', async () => {
    expect((await publish()).json().detail).toContain('may comment on factual accuracy until');
    await t.database.db
      .update(accuracyChecks)
      .set({ deadline: '2020-01-01' })
      .where(eq(accuracyChecks.assessmentId, id));
    expect((await api(member, 'POST', '/comments', { section: 'summary', body: 'Late' })).statusCode).toBe(409);
    await t.database.db.update(accuracyChecks).set({ deadline: today() }).where(eq(accuracyChecks.assessmentId, id));
    const published = await publish('The organisation confirmed it has no more comments');
    expect(published.statusCode, published.body).toBe(200);
    const check = (await api(lead, 'GET')).json();
    expect(check.publishedDespite).toBe('The organisation confirmed it has no more comments');
    const actions = (
      await t.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, id))
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'accuracy_check.sent',
        'accuracy_check.commented',
        'accuracy_check.answered',
        'assessment.published',
      ]),
    );
  });

  it('is in the export, not in the report', async () => {
    const exported = await t.app.inject({ url: `/api/assessments/${id}/export`, headers: lead.headers });
    expect(exported.json().factualAccuracy).toMatchObject({
      deadline: today(),
      publishedDespite: 'The organisation confirmed it has no more comments',
      comments: [{ section: '4.1', response: 'changed', responseText: 'Corrected to March.' }],
    });
    const report = await t.app.inject({ url: `/api/assessments/${id}/report?format=html`, headers: lead.headers });
    expect(report.body).not.toContain('adopted in March, not May');
  });

  it('works as forms without JavaScript: the page keeps what was typed on an error', async () => {
    const other = await createJudgedAssessment(t.database.db, lead.actor, 'Second inspection');
    const page = `/assessments/${other.id}/factual-accuracy`;
    const res = await submitForm(t.app, {
      page,
      headers: lead.headers,
      fields: { deadline: 'soon', message: 'Kept text' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#send-deadline"');
    expect(res.body).toContain('Kept text');
    const sent = await submitForm(t.app, { page, headers: lead.headers, fields: { deadline: today(), message: '' } });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${page}?done=sent`);
  });
});
