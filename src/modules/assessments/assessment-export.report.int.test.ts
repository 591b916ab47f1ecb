/**
 * The executive summary and the factual accuracy check in kloe-assessment/1 (issue 23 items 2 and 7): exported,
 * imported as a copy, and exported again the same; the copy's report shows the summary first.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { ukDay as today } from '../../dates.js';
import { createJudgedAssessment } from '../reports/testing/report-fixtures.js';
import { exportAssessment } from './assessment-export.js';
import { parseAssessmentExport } from './assessment-export.schema.js';
import { importAssessment } from './assessment-import.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const SUMMARY = 'The service has promising prospects for improvement.\n\nCosts are not yet compared.';

describeEachDatabase('executive summary and factual accuracy in the export', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let id: string;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    const judged = await createJudgedAssessment(db, lead.actor);
    id = judged.id;
    const member = await createTestUser(db, 'organisation_member', { organisationId: judged.organisationId });
    const call = (user: TestUser, method: 'PUT' | 'POST', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/assessments/${id}${url}`, headers: user.headers, payload });
    expect((await call(lead, 'PUT', '/executive-summary', { text: SUMMARY })).statusCode).toBe(200);
    expect((await call(lead, 'PUT', '/factual-accuracy', { deadline: today() })).statusCode).toBe(200);
    const comment = await call(member, 'POST', '/factual-accuracy/comments', { section: 'summary', body: 'Say 2026.' });
    await call(lead, 'POST', `/factual-accuracy/comments/${comment.json().id}/answer`, {
      response: 'not_accepted',
      text: 'The year is right.',
    });
  });

  it('exports the summary and the exchange, and a copy exports the same', async () => {
    const { db } = t.database;
    const exported = await exportAssessment(db, SYSTEM, id);
    expect(exported.executiveSummary).toMatchObject({ text: SUMMARY, updatedByEmail: lead.actor.email });
    expect(exported.factualAccuracy).toMatchObject({
      deadline: today(),
      sentByEmail: lead.actor.email,
      comments: [
        { section: 'summary', body: 'Say 2026.', response: 'not_accepted', responseText: 'The year is right.' },
      ],
    });
    const copy = await importAssessment(db, SYSTEM, JSON.parse(JSON.stringify(exported)), { asNew: true });
    const again = await exportAssessment(db, SYSTEM, copy.id);
    expect(again.executiveSummary).toEqual(exported.executiveSummary);
    expect(again.factualAccuracy).toEqual(exported.factualAccuracy);
    const report = await t.app.inject({ url: `/api/assessments/${copy.id}/report?format=html`, headers: lead.headers });
    expect(report.body).toContain('The service has promising prospects for improvement.');
  });

  it('still imports a document made before these fields existed', async () => {
    const exported = await exportAssessment(t.database.db, SYSTEM, id);
    const older = JSON.parse(JSON.stringify(exported));
    delete older.executiveSummary;
    delete older.factualAccuracy;
    expect(parseAssessmentExport(older).executiveSummary).toBeUndefined();
    const copy = await importAssessment(t.database.db, SYSTEM, older, { asNew: true });
    expect((await exportAssessment(t.database.db, SYSTEM, copy.id)).executiveSummary).toBeNull();
  });
});
