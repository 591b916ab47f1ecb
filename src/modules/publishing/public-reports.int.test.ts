/**
 * Public reports (issue 23 items 8 and 9): a published inspection made public is served without sign-in (page,
 * HTML report, index, open data) with nothing unpublished, no evidence and no name but the lead's; withdrawing
 * takes it down with a notice; the public report cites its permanent address, date and revision, and the
 * audit chain's head.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createJudgedAssessment } from '../reports/testing/report-fixtures.js';
import { plainDate } from '../../dates.js';
import { OPEN_DATA_COLUMNS } from './public-reports.schemas.js';

describeEachDatabase('public reports', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let member: TestUser;
  let admin: TestUser;
  let id: string;
  let draftId: string;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    member = await createTestUser(db, 'inspector', { name: 'Tomas Teammate' });
    admin = await createTestUser(db, 'administrator');
    const judged = await createJudgedAssessment(db, lead.actor, 'Repairs inspection 2026');
    id = judged.id;
    const lifecycle = createAssessmentsService({ db });
    const teamed = await lifecycle.setTeam(lead.actor, id, {
      version: judged.version,
      leadUserId: lead.actor.userId,
      memberUserIds: [member.actor.userId],
    });
    expect(teamed).toHaveLength(2);
    const evidence = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${id}/evidence`,
      headers: lead.headers,
      payload: {
        title: 'Interview with the repairs manager',
        kind: 'interview',
        source: 'Priya Patel, repairs manager',
      },
    });
    expect(evidence.statusCode, evidence.body).toBe(201);
    await t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${id}/executive-summary`,
      headers: lead.headers,
      payload: { text: 'Repairs are faster and tenants notice it.\n\nCosts are not yet compared.' },
    });
    const { assessment } = await lifecycle.get(lead.actor, id);
    await lifecycle.moveStatus(lead.actor, id, { status: 'published', version: assessment.version });
    draftId = (await createJudgedAssessment(db, lead.actor, 'Draft inspection')).id;
  });

  const anonymous = (url: string) => t.app.inject({ url, headers: { accept: 'text/html' } });
  const makePublic = (user: TestUser, which = id) =>
    t.app.inject({ method: 'PUT', url: `/api/assessments/${which}/public`, headers: user.headers });

  it('shows nothing of a published report until it is made public, and never a draft', async () => {
    expect((await anonymous(`/public/reports/${id}`)).statusCode).toBe(404);
    expect((await anonymous(`/public/reports/${id}/report.html`)).statusCode).toBe(404);
    const draft = await makePublic(lead, draftId);
    expect(draft.statusCode).toBe(409);
    expect(draft.json().detail).toBe('Only a published report can be made public');
    expect((await anonymous(`/public/reports/${draftId}`)).statusCode).toBe(404);
    expect((await anonymous('/public/reports/not-an-id')).statusCode).toBe(404);
  });

  it('is made public by the lead (not another team member), audited', async () => {
    expect((await makePublic(member)).statusCode).toBe(403);
    const res = await makePublic(lead);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ path: `/public/reports/${id}`, public: true, withdrawalNotice: null });
    const audit = await t.app.inject({ url: `/api/audit?entityId=${id}`, headers: admin.headers });
    expect(audit.body).toContain('public_report.made_public');
  });

  it('has a page without sign-in: ratings, executive summary, lead inspector, downloads, citation', async () => {
    const page = await anonymous(`/public/reports/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ashcombe Report Council: Housing repairs');
    expect(page.body).toContain('Lead inspector: Lena Lead');
    expect(page.body).toMatch(/Key question 4: [^<]+<\/dt>\s*<dd[^>]*>\s*Promising/);
    expect(page.body).toContain('Repairs are faster and tenants notice it.');
    expect(page.body).toContain(`href="/public/reports/${id}/report.pdf"`);
    expect(page.body).toContain(`revision 1, published ${plainDate(new Date())}. http://localhost`);
    expect(page.body).not.toContain('Tomas Teammate');
  });

  it('serves the report as HTML without the evidence or any name but the lead’s, citing its public address', async () => {
    const signedIn = await t.app.inject({ url: `/api/assessments/${id}/report?format=html`, headers: lead.headers });
    expect(signedIn.body).toContain('Priya Patel');
    expect(signedIn.body).toContain('Tomas Teammate');
    const html = await anonymous(`/public/reports/${id}/report.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Lena Lead');
    expect(html.body).not.toContain('Tomas Teammate');
    expect(html.body).not.toContain('Priya Patel');
    expect(html.body).not.toContain('Appendix: evidence');
    // Item 9: the permanent citation (address, date, revision) and the audit chain's head.
    expect(html.body).toMatch(/Cite as:<\/strong>[^<]*revision 1, published [^<]*\/public\/reports\//);
    expect(html.body).toMatch(/<dt>Audit trail anchor<\/dt><dd><code[^>]*>\d+:[0-9a-f]{64}<\/code><\/dd>/);
    const again = await anonymous(`/public/reports/${id}/report.html`);
    expect(again.rawPayload.equals(html.rawPayload)).toBe(true);
    expect((await anonymous(`/public/reports/${id}/evidence`)).statusCode).toBe(404);
  });

  it('lists it in the index, searchable by organisation and overall rating', async () => {
    const all = await anonymous('/public/reports');
    expect(all.body).toContain(`href="/public/reports/${id}"`);
    expect(all.body).not.toContain(draftId);
    expect((await anonymous('/public/reports?organisation=ashcombe&rating=promising')).body).toContain(id);
    expect((await anonymous('/public/reports?organisation=ashcombe&rating=poor')).body).not.toContain(
      `href="/public/reports/${id}"`,
    );
    expect((await anonymous('/public/reports?organisation=nowhere')).body).toContain('No public report matches');
  });

  it('publishes every public rating as open data in stable columns (CSV and JSON)', async () => {
    const json = (await anonymous('/public/ratings.json')).json();
    expect(json.columns).toEqual([...OPEN_DATA_COLUMNS]);
    const mine = json.ratings.filter((r: { report_id: string }) => r.report_id === id);
    expect(mine.map((r: { rating_of: string }) => r.rating_of)).toEqual(['4', '5', '6', 'overall']);
    expect(mine[3]).toMatchObject({ rating: 'promising', rating_label: 'Promising', revision: 1 });
    const csv = await anonymous('/public/ratings.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(OPEN_DATA_COLUMNS.join(','));
    expect(lines.filter((l) => l.startsWith(id))).toHaveLength(4);
  });

  it('is withdrawn with a notice: its address answers 404 saying why, and it leaves the index and the data', async () => {
    const page = `/assessments/${id}/public`;
    const bare = await submitForm(t.app, {
      page,
      action: `${page}/withdraw`,
      headers: lead.headers,
      fields: { notice: '' },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('Say why the report is withdrawn');
    const done = await submitForm(t.app, {
      page,
      action: `${page}/withdraw`,
      headers: lead.headers,
      fields: { notice: 'A factual error was found; a corrected report will follow.' },
    });
    expect(done.statusCode).toBe(303);
    const gone = await anonymous(`/public/reports/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('A factual error was found; a corrected report will follow.');
    expect((await anonymous(`/public/reports/${id}/report.html`)).statusCode).toBe(404);
    expect((await anonymous('/public/reports')).body).not.toContain(`href="/public/reports/${id}"`);
    expect(
      (await anonymous('/public/ratings.json')).json().ratings.some((r: { report_id: string }) => r.report_id === id),
    ).toBe(false);
    // An administrator may make it public again.
    expect((await makePublic(admin)).statusCode).toBe(200);
    expect((await anonymous(`/public/reports/${id}`)).statusCode).toBe(200);
  });
});
