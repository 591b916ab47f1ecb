import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { assessments } from '../assessments/assessments.tables.js';
import { createRecommendationsService } from '../assessments/recommendations.service.js';
import { createWorkspaceService } from '../assessments/workspace.service.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import type { PlanActor } from './improvement.policy.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('report to plan in one step', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let member: TestUser;
  let inspectionId: string;
  let selfAssessmentId: string;
  let recommendationId: string;
  let planApi: string;

  /** An assessment of 4.1 with two areas for improvement and a recommendation answering the first. */
  async function assessmentWithRecommendation(
    actor: PlanActor & { kind: 'user' },
    kind: 'inspection' | 'self_assessment',
    organisationId: string,
    serviceId: string,
  ) {
    const { db } = t.database;
    const created = await createAssessmentsService({ db }).create(actor, {
      organisationId,
      serviceId,
      kind,
      title: `Repairs ${kind}`,
      frameworkId: 'audit-commission-j2',
      scope: ['4.1'],
      ...(kind === 'inspection' ? { sharedWithOrganisation: true } : {}),
    });
    const workspace = createWorkspaceService({ db });
    const k = await workspace.kloe(actor, created.id, '4.1');
    await workspace.saveKloe(actor, created.id, '4.1', {
      version: k.kloe.judgement.version,
      areasForImprovement: ['Compare costs with similar landlords', 'Publish repair times'],
    });
    const recommendation = await createRecommendationsService({ db }).create(actor, created.id, {
      text: 'Benchmark repair costs annually',
      priority: 'high',
      outcome: 'Costs in the top quartile by 2028',
      kloeRefs: [],
      areas: [{ kloeRef: '4.1', text: 'Compare costs with similar landlords' }],
    });
    return { id: created.id, recommendationId: recommendation.id };
  }

  async function publish(id: string) {
    const { db } = t.database;
    const assessments = createAssessmentsService({ db });
    const workspace = createWorkspaceService({ db });
    const o = await workspace.overview(lead.actor, id);
    for (const k of o.kloes) {
      await workspace.saveKloe(lead.actor, id, k.leaf.kloe.ref, {
        version: k.judgement.version,
        finalRating: 'uncertain',
        rationale: 'Test rating',
      });
    }
    for (const n of [...o.keyQuestions, o.overall]) {
      await workspace.saveRollUp(lead.actor, id, n.nodeRef, {
        version: n.judgement.version,
        finalRating: 'uncertain',
        rationale: 'Test rating',
      });
    }
    let row = (await assessments.get(lead.actor, id)).assessment;
    for (const status of ['fieldwork', 'moderation', 'published'] as const) {
      row = await assessments.moveStatus(lead.actor, id, { status, version: row.version });
    }
  }

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Draft Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: 'Repairs',
      description: null,
    });
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    member = await createTestUser(db, 'organisation_member', { organisationId: org.id });
    const inspection = await assessmentWithRecommendation(lead.actor, 'inspection', org.id, service.id);
    inspectionId = inspection.id;
    recommendationId = inspection.recommendationId;
    selfAssessmentId = (await assessmentWithRecommendation(member.actor, 'self_assessment', org.id, service.id)).id;
    planApi = `/api/organisations/${org.id}/services/${service.id}/plan`;
  });

  const post = (user: TestUser, url: string) => t.app.inject({ method: 'POST', url, headers: user.headers });
  const draft = (user: TestUser, id: string) => post(user, `/api/assessments/${id}/plan-drafts`);
  const aimTitles = async () =>
    (await t.app.inject({ url: planApi, headers: member.headers })).json().aims.map((a: { title: string }) => a.title);

  it('refuses an inspection not yet published, and anyone but the organisation’s members', async () => {
    const refused = await draft(lead, inspectionId);
    expect(refused.statusCode).toBe(403);
    const early = await draft(member, inspectionId);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('assessment_not_published');
    await publish(inspectionId);
    expect((await draft(lead, inspectionId)).statusCode).toBe(403);
  });

  it('drafts an aim per recommendation of a published inspection from its page, linked both ways, once', async () => {
    const page = `/assessments/${inspectionId}/recommendations`;
    const before = await t.app.inject({ url: page, headers: member.headers });
    expect(before.body).toContain('Turn into improvement plan aims');
    const res = await submitForm(t.app, {
      page,
      action: `/assessments/${inspectionId}/plan-drafts`,
      headers: member.headers,
      fields: {},
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/\/plan\?done=drafted$/);
    const plan = (await t.app.inject({ url: planApi, headers: member.headers })).json();
    expect(plan.aims).toMatchObject([
      {
        title: 'Benchmark repair costs annually',
        description: 'Costs in the top quartile by 2028',
        kloeRefs: ['4.1'],
        recommendationIds: [recommendationId],
      },
    ]);
    const planPage = await t.app.inject({ url: planApi.replace('/api', ''), headers: member.headers });
    expect(planPage.body).toContain(`href="${page}">Benchmark repair costs annually</a> (Repairs inspection)`);
    const after = await t.app.inject({ url: page, headers: member.headers });
    expect(after.body).toContain(`#aim-${plan.aims[0].id}">Benchmark repair costs annually</a>`);
    const again = await draft(member, inspectionId);
    expect(again.json().created).toBe(0);
    expect(await aimTitles()).toEqual(['Benchmark repair costs annually']);
  });

  it('drafts a self-assessment’s recommendations and its areas for improvement no recommendation answers', async () => {
    const first = await draft(member, selfAssessmentId);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().created).toBe(2);
    expect((await draft(member, selfAssessmentId)).json().created).toBe(0);
    expect(await aimTitles()).toEqual([
      'Benchmark repair costs annually',
      'Benchmark repair costs annually',
      'Publish repair times',
    ]);
  });

  it('links an aim only to recommendations the organisation sees: not those of an inspection not shared with it', async () => {
    const { db } = t.database;
    const service = planApi.split('/services/')[1]!.split('/')[0]!;
    const organisation = planApi.split('/organisations/')[1]!.split('/')[0]!;
    const hidden = await assessmentWithRecommendation(lead.actor, 'inspection', organisation, service);
    await db.update(assessments).set({ sharedWithOrganisation: false }).where(eq(assessments.id, hidden.id));
    const res = await t.app.inject({
      method: 'POST',
      url: `${planApi}/aims`,
      headers: member.headers,
      payload: { title: 'Peek', recommendationIds: [recommendationId, hidden.recommendationId] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'recommendationIds.1', message: 'Not a recommendation to this service that its organisation can see' },
    ]);
  });
});
