import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { EXECUTIVE_SUMMARY_MAX } from './executive-summary.schemas.js';
import { createJudgedAssessment } from './testing/report-fixtures.js';

const SUMMARY =
  'The service has promising prospects for improvement.\n\nRepairs are faster than two years ago and tenants notice it;\ncosts are not yet compared with similar landlords.';

describeEachDatabase('executive summary', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let outsider: TestUser;
  let id: string;
  let version: number;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    outsider = await createTestUser(db, 'inspector', { name: 'Otto Outside' });
    ({ id, version } = await createJudgedAssessment(db, lead.actor));
  });

  const put = (user: TestUser, text: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${id}/executive-summary`,
      headers: user.headers,
      payload: { text },
    });

  it('is written by the lead, audited, and shown first in the report as paragraphs', async () => {
    const res = await put(lead, `  ${SUMMARY}  `);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ text: SUMMARY });
    const got = await t.app.inject({ url: `/api/assessments/${id}/executive-summary`, headers: lead.headers });
    expect(got.json().text).toBe(SUMMARY);
    const html = (await t.app.inject({ url: `/api/assessments/${id}/report?format=html`, headers: lead.headers })).body;
    expect(html).toContain(
      '<p class="govuk-body">Repairs are faster than two years ago and tenants notice it; costs are not yet compared with similar landlords.</p>',
    );
    expect(html.indexOf('id="executive-summary"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('href="#executive-summary">Executive summary</a>');
    const entries = await t.database.db.select().from(auditLog);
    expect(entries.some((e) => e.action === 'report.executive_summary_saved' && e.entityId === id)).toBe(true);
  });

  it('refuses text that is too long or not text, naming the field; 404 to someone who may not see it', async () => {
    const long = await put(lead, 'x'.repeat(EXECUTIVE_SUMMARY_MAX + 1));
    expect(long.statusCode).toBe(400);
    expect(long.json().errors).toEqual([
      expect.objectContaining({ field: 'body.text', message: expect.stringContaining(`${EXECUTIVE_SUMMARY_MAX}`) }),
    ]);
    expect((await put(lead, 42)).statusCode).toBe(400);
    expect((await put(outsider, 'Mine now')).statusCode).toBe(404);
  });

  it('keeps what was typed on the page when it is refused, and saves it from the page otherwise', async () => {
    const page = `/assessments/${id}/report`;
    const action = `${page}/executive-summary`;
    const tooLong = 'y'.repeat(EXECUTIVE_SUMMARY_MAX + 1);
    const refused = await submitForm(t.app, { page, action, headers: lead.headers, fields: { text: tooLong } });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain(`>${tooLong}</textarea>`);
    const saved = await submitForm(t.app, {
      page,
      action,
      headers: lead.headers,
      fields: { text: 'Short and clear.' },
    });
    expect(saved.statusCode).toBe(303);
    const after = await t.app.inject({ url: `${page}?done=summary`, headers: lead.headers });
    expect(after.body).toContain('The executive summary has been saved.');
    expect(after.body).toContain('Short and clear.');
  });

  it('cannot change once the assessment is published, and the form is gone', async () => {
    await createAssessmentsService({ db: t.database.db }).moveStatus(lead.actor, id, { status: 'published', version });
    const res = await put(lead, 'Changed after publication');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('assessment_published');
    const page = await t.app.inject({ url: `/assessments/${id}/report`, headers: lead.headers });
    expect(page.body).not.toContain('id="executive-summary-form"');
    expect(page.body).toContain('Short and clear.');
  });
});
