import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { createOrganisationWithService, openAssessmentInFieldwork } from '../../testing/team-assessments.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { assessments } from './assessments.tables.js';

describeEachDatabase('comparison of a self-assessment with a chosen inspection', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let member: TestUser;
  let selfId: string;
  let olderId: string;
  let newerId: string;

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

  /** Judges KLOE 4.1's first statement and rates the KLOE and key question 4. */
  async function judge(user: TestUser, id: string, outcome: string, rating: string) {
    const { version } = (await api(user, 'GET', `/api/assessments/${id}/kloes/4.1`)).json() as { version: number };
    const saved = await api(user, 'PUT', `/api/assessments/${id}/kloes/4.1`, {
      version,
      findings: [{ statementRef: '4.1-P1', outcome }],
      finalRating: rating,
      rationale: 'Judged on the evidence seen',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const kq = (await api(user, 'GET', `/api/assessments/${id}/scorecard`)).json() as {
      keyQuestions: { ref: string; version: number }[];
    };
    const node = kq.keyQuestions.find((k) => k.ref === '4')!;
    const rated = await api(user, 'PUT', `/api/assessments/${id}/ratings/4`, {
      version: node.version,
      finalRating: rating,
      rationale: 'Judged on the evidence seen',
    });
    expect(rated.statusCode, rated.body).toBe(200);
  }

  beforeAll(async () => {
    const { db } = t.database;
    const { organisationId: orgId, serviceId } = await createOrganisationWithService(db, 'Compare Borough Council');
    const organisation = { id: orgId };
    inspector = await createTestUser(db, 'inspector', { name: 'Ina Inspector' });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    const base = { organisationId: organisation.id, serviceId };
    selfId = await openAssessmentInFieldwork(t.app, member, {
      ...base,
      kind: 'self_assessment',
      title: 'Repairs self-assessment',
    });
    olderId = await openAssessmentInFieldwork(t.app, inspector, { ...base, title: 'Repairs inspection 2025' });
    await judge(member, selfId, 'met', 'promising');
    await judge(inspector, olderId, 'not_met', 'uncertain');
    newerId = await openAssessmentInFieldwork(t.app, inspector, { ...base, title: 'Repairs inspection 2026' });
    await db.update(assessments).set({ status: 'published' }).where(eq(assessments.id, selfId));
  });

  it('compares with the latest by default, or with the inspection chosen, row by row and statement by statement', async () => {
    const latest = (await api(inspector, 'GET', `/api/assessments/${selfId}/comparison`)).json() as {
      external: { id: string };
      choices: { id: string }[];
    };
    expect(latest.external.id).toBe(newerId);
    expect(latest.choices.map((c) => c.id)).toEqual([newerId, olderId]);

    const chosen = await api(inspector, 'GET', `/api/assessments/${selfId}/comparison?with=${olderId}`);
    expect(chosen.statusCode, chosen.body).toBe(200);
    const body = chosen.json() as {
      external: { id: string };
      rows: { ref: string; level: string; steps: number | null; differs: boolean }[];
      statements: { ref: string; self: string; external: string }[];
    };
    expect(body.external.id).toBe(olderId);
    expect(body.rows.find((r) => r.ref === '4')).toMatchObject({ level: 'key_question', steps: 1, differs: true });
    expect(body.rows.find((r) => r.ref === 'overall')).toMatchObject({ level: 'overall', steps: null, differs: false });
    expect(body.rows.find((r) => r.ref === '4.1')).toMatchObject({ level: 'kloe', steps: 1, differs: true });
    expect(body.statements).toEqual([{ ref: '4.1-P1', kloeRef: '4.1', self: 'met', external: 'not_met' }]);

    const elsewhere = await api(inspector, 'GET', `/api/assessments/${selfId}/comparison?with=${selfId}`);
    expect(elsewhere.statusCode).toBe(404);
    expect((await api(inspector, 'GET', `/api/assessments/${selfId}/comparison?with=nope`)).statusCode).toBe(400);
  });

  it('shows the choice, the key question rows and the statements on the page, and gives the same as CSV', async () => {
    const page = await t.app.inject({
      url: `/assessments/${selfId}/compare?with=${olderId}`,
      headers: inspector.headers,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(new RegExp(`<option value="${olderId}" selected>Repairs inspection 2025`));
    expect(page.body).toContain('Key question 4');
    expect(page.body).toContain('Inspection rates it 1 level lower');
    expect(page.body).toMatch(/id="statement-differences"[\s\S]*4\.1-P1[\s\S]*Met[\s\S]*Not met/);

    const csv = await t.app.inject({
      url: `/assessments/${selfId}/compare.csv?with=${olderId}`,
      headers: inspector.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('level,ref,self-assessment,inspection,difference');
    expect(lines[1]).toBe('overall,overall,no final rating,no final rating,Not both rated yet');
    expect(lines).toContain('key question,4,Promising,Uncertain,Inspection rates it 1 level lower');
    expect(lines).toContain('KLOE,4.1,Promising,Uncertain,Inspection rates it 1 level lower');
    expect(lines).toContain('statement,4.1-P1,Met,Not met,Findings differ');
  });
});
