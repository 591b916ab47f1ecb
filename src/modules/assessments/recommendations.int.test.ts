import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { exportAssessment } from './assessment-export.js';
import { importAssessment } from './assessment-import.js';
import { createAssessmentsService } from './assessments.service.js';
import { createWorkspaceService } from './workspace.service.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('recommendations', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let outsider: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Recommendation Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: 'Repairs',
      description: null,
    });
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    outsider = await createTestUser(db, 'inspector', { name: 'Otto Outside' });
    const created = await createAssessmentsService({ db }).create(lead.actor, {
      organisationId: org.id,
      serviceId: service.id,
      kind: 'inspection',
      title: 'Recommendations inspection',
      frameworkId: 'audit-commission-j2',
      scope: ['4.1', '4.2'],
    });
    assessmentId = created.id;
    const workspace = createWorkspaceService({ db });
    const k = await workspace.kloe(lead.actor, assessmentId, '4.1');
    await workspace.saveKloe(lead.actor, assessmentId, '4.1', {
      version: k.kloe.judgement.version,
      areasForImprovement: ['Compare costs with similar landlords', 'Publish repair times'],
    });
  });

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const base = () => `/api/assessments/${assessmentId}/recommendations`;

  it('records one linked to an area for improvement (its KLOE linked too), audited', async () => {
    const res = await api(lead, 'POST', base(), {
      text: 'Benchmark repair costs annually',
      priority: 'high',
      outcome: 'Costs in the top quartile by 2028',
      kloeRefs: ['4.2'],
      areas: [{ kloeRef: '4.1', text: 'Compare costs with similar landlords' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ position: 1, kloeRefs: ['4.1', '4.2'], version: 1 });
    const rows = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, res.json().id));
    expect(rows).toEqual([{ action: 'recommendation.created' }]);
  });

  it('refuses an area not recorded on its KLOE and a KLOE out of scope, naming them', async () => {
    const res = await api(lead, 'POST', base(), {
      text: 'x',
      priority: 'low',
      outcome: 'y',
      kloeRefs: ['6.4'],
      areas: [{ kloeRef: '4.1', text: 'Not an area' }],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((p: { field: string }) => p.field);
    expect(fields).toEqual(['kloeRefs.0', 'areas.0']);
    expect(res.body).toContain('KLOE 6.4 is not in this assessment');
  });

  it('is not shown to someone who may not see the assessment', async () => {
    expect((await api(outsider, 'GET', base())).statusCode).toBe(404);
  });

  it('adds one from the page without JavaScript, and keeps input on an error', async () => {
    const page = `/assessments/${assessmentId}/recommendations`;
    const bad = await submitForm(t.app, {
      page,
      headers: lead.headers,
      fields: { text: 'Publish repair times monthly', outcome: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the outcome it should achieve');
    expect(bad.body).toContain('Choose a priority');
    expect(bad.body).toContain('Publish repair times monthly</textarea>');
    const good = await submitForm(t.app, {
      page,
      headers: lead.headers,
      fields: { text: 'Publish repair times monthly', priority: 'medium', outcome: 'Tenants see', areas: '4.1|1' },
    });
    expect(good.statusCode).toBe(303);
    const list = await api(lead, 'GET', base());
    expect(list.json().recommendations[1]).toMatchObject({
      position: 2,
      areas: [{ kloeRef: '4.1', text: 'Publish repair times' }],
      kloeRefs: ['4.1'],
    });
  });

  it('changes one at the version read and refuses a stale version', async () => {
    const [first] = (await api(lead, 'GET', base())).json().recommendations;
    const body = { ...first, text: 'Benchmark repair costs every year', version: first.version };
    delete body.id;
    delete body.position;
    delete body.updatedAt;
    expect((await api(lead, 'PUT', `${base()}/${first.id}`, body)).statusCode).toBe(200);
    const stale = await api(lead, 'PUT', `${base()}/${first.id}`, body);
    expect(stale.statusCode).toBe(409);
  });

  describe('round trip, revision and publishing', () => {
    it('exports and imports them (and old documents without them still import)', async () => {
      const doc = await exportAssessment(t.database.db, SYSTEM, assessmentId);
      expect(doc.recommendations!.map((r) => r.text)).toEqual([
        'Benchmark repair costs every year',
        'Publish repair times monthly',
      ]);
      const copy = await importAssessment(t.database.db, SYSTEM, doc, { asNew: true });
      expect(copy.counts.recommendations).toBe(2);
      const again = await exportAssessment(t.database.db, SYSTEM, copy.id);
      expect(again.recommendations).toEqual(doc.recommendations);

      const old = structuredClone(doc);
      delete old.recommendations;
      const restored = await importAssessment(t.database.db, SYSTEM, old, { asNew: true });
      expect(restored.counts.recommendations).toBe(0);
    });

    it('are read-only once published and copied into the reopened revision', async () => {
      const { db } = t.database;
      const assessments = createAssessmentsService({ db });
      const workspace = createWorkspaceService({ db });
      // Rate everything so it can be published.
      const o = await workspace.overview(lead.actor, assessmentId);
      for (const k of o.kloes) {
        await workspace.saveKloe(lead.actor, assessmentId, k.leaf.kloe.ref, {
          version: k.judgement.version,
          finalRating: 'uncertain',
          rationale: 'Test rating',
        });
      }
      for (const n of [...o.keyQuestions, o.overall]) {
        await workspace.saveRollUp(lead.actor, assessmentId, n.nodeRef, {
          version: n.judgement.version,
          finalRating: 'uncertain',
          rationale: 'Test rating',
        });
      }
      let row = (await assessments.get(lead.actor, assessmentId)).assessment;
      for (const status of ['fieldwork', 'moderation', 'published'] as const) {
        row = await assessments.moveStatus(lead.actor, assessmentId, { status, version: row.version });
      }
      const refused = await api(lead, 'POST', base(), { text: 'x', priority: 'low', outcome: 'y' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('assessment_published');
      const page = await t.app.inject({ url: `/assessments/${assessmentId}/recommendations`, headers: lead.headers });
      expect(page.body).not.toContain('Add a recommendation');
      expect(page.body).toContain('can no longer be changed');

      const next = await assessments.reopen(lead.actor, assessmentId, null);
      const copied = (await api(lead, 'GET', `/api/assessments/${next.id}/recommendations`)).json();
      expect(copied.recommendations.map((r: { text: string }) => r.text)).toEqual([
        'Benchmark repair costs every year',
        'Publish repair times monthly',
      ]);
    });
  });
});
