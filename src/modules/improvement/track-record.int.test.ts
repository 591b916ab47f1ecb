/**
 * The whole loop on the demo data: the 2024 inspection's recommendations drafted into Ashdown's housing
 * repairs plan, half delivered with one action off track; the service's track record; and the 2026
 * inspection's KQ4 workspace showing it, with 5.1.2 flagging what was not delivered. Also the progress pages.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, existingTestUser, type TestUser } from '../../testing/test-users.js';
import { DEMO_INSPECTION, DEMO_PREVIOUS_INSPECTION } from '../assessments/assessments.demo.js';
import { assessments } from '../assessments/assessments.tables.js';
import { ASHDOWN_CODE } from '../organisations/organisations.demo-data.js';
import { organisations, services } from '../organisations/organisations.tables.js';

describeEachDatabase('track record and the demo plan', (driver) => {
  const t = useTestApp(driver, {}, { demo: true });
  let member: TestUser;
  let lead: TestUser;
  let outsider: TestUser;
  let base: string;
  let pageBase: string;
  let newInspectionId: string;
  let previousInspectionId: string;

  beforeAll(async () => {
    const { db } = t.database;
    member = await existingTestUser(db, 'member@example.org');
    lead = await existingTestUser(db, 'lead.inspector@example.org');
    const [org] = await db.select().from(organisations).where(eq(organisations.code, ASHDOWN_CODE));
    const [service] = await db
      .select()
      .from(services)
      .where(and(eq(services.organisationId, org!.id), eq(services.name, 'Housing repairs')));
    const other = (await db.select().from(organisations)).find((o) => o.id !== org!.id)!;
    outsider = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    pageBase = `/organisations/${org!.id}/services/${service!.id}`;
    base = `/api${pageBase}`;
    const byTitle = async (title: string) =>
      (await db.select({ id: assessments.id }).from(assessments).where(eq(assessments.title, title)))[0]!.id;
    newInspectionId = await byTitle(DEMO_INSPECTION);
    previousInspectionId = await byTitle(DEMO_PREVIOUS_INSPECTION);
  });

  const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers });

  it('has a demo plan drafted from the published inspection, half delivered, one action off track', async () => {
    const plan = (await get(member, `${base}/plan`)).json();
    expect(plan.aims).toHaveLength(4);
    const statuses = plan.aims.flatMap((a: { actions: { status: { status: string } }[] }) =>
      a.actions.map((x) => x.status.status),
    );
    expect(statuses).toEqual(['done', 'done', 'off_track', 'on_track']);
    const offTrack = plan.aims[2].actions[0];
    expect(offTrack.status.reasons.join(' ')).toMatch(/DEMO-I004 has moved away from its target/);
    expect(plan.comments).toHaveLength(1);
    // Turning the inspection into the plan again adds nothing twice.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${previousInspectionId}/plan-drafts`,
      headers: member.headers,
    });
    expect(again.json().created).toBe(0);
  });

  it('gives the track record: ratings over time, what became of each recommendation, indicators', async () => {
    const record = (await get(lead, `${base}/track-record`)).json();
    expect(record.assessments.map((a: { title: string }) => a.title)).toEqual([DEMO_PREVIOUS_INSPECTION]);
    expect(record.assessments[0].overall).toMatch(/^(excellent|promising|uncertain|poor)$/);
    expect(record.assessments[0].publishedOn).toBe('2024-12-13');
    expect(record.recommendations.map((r: { outcome: string }) => r.outcome)).toEqual([
      'delivered',
      'delivered',
      'off_track',
      'in_progress',
    ]);
    expect(record.indicators.length).toBeGreaterThan(0);
    expect(record.indicators[0].from.period < record.indicators[0].latest.period).toBe(true);
    const page = await get(member, `${pageBase}/track-record`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ratings over time');
    expect(page.body).toContain('Delivered');
    expect((await get(outsider, `${base}/track-record`)).statusCode).toBe(404);
    expect((await get(outsider, `${pageBase}/track-record`)).statusCode).toBe(404);
  });

  it('shows the track record in the new inspection’s KQ4 workspace, and flags what was not delivered in 5.1.2', async () => {
    const kq4 = await get(lead, `/assessments/${newInspectionId}/kloes/4.1`);
    expect(kq4.statusCode).toBe(200);
    expect(kq4.body).toContain('Track record: evidence candidates');
    expect(kq4.body).toContain('Benchmark repair costs against similar landlords');
    expect(kq4.body).toContain('Off track');
    const planning = await get(lead, `/assessments/${newInspectionId}/kloes/5.1.2`);
    expect(planning.body).toContain('2 recommendation(s) of the previous inspection');
    expect(planning.body).toContain('Involve tenants in checking the quality');
    const other = await get(lead, `/assessments/${newInspectionId}/kloes/6.1`);
    expect(other.body).not.toContain('Track record: evidence candidates');
  });

  it('lists the off-track action for monitoring, filtered, as a page and as CSV; not to members', async () => {
    const all = (await get(lead, '/api/plans/monitoring')).json();
    const offTrack = all.actions.filter((a: { concerns: string[] }) => a.concerns.includes('off_track'));
    expect(offTrack.map((a: { actionTitle: string }) => a.actionTitle)).toEqual([
      'Tenant inspectors check one in twenty completed repairs',
    ]);
    expect(offTrack[0].status).toMatchObject({ status: 'off_track', label: 'Off track' });
    const byKloe = (ref: string) => get(lead, `/api/plans/monitoring?kloeRef=${ref}&concern=off_track`);
    expect((await byKloe('5.2.4')).json().actions).toHaveLength(1);
    expect((await byKloe('4.4')).json().actions).toHaveLength(0);
    expect((await get(lead, '/api/plans/monitoring?concern=late')).statusCode).toBe(400);
    const page = await get(lead, '/plans/monitoring?kloeRef=5.2.4');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tenant inspectors check one in twenty completed repairs');
    expect(page.body).toContain('href="/plans/monitoring.csv?kloeRef=5.2.4"');
    const csv = await get(lead, '/plans/monitoring.csv?kloeRef=5.2.4');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Tenant inspectors check one in twenty completed repairs');
    expect(csv.body).toContain('Off track');
    expect((await get(member, '/plans/monitoring')).statusCode).toBe(403);
    expect((await get(member, '/api/plans/monitoring')).statusCode).toBe(403);
  });

  it('records progress and sets a status from the pages, keeping what was typed on an error', async () => {
    const plan = (await get(member, `${base}/plan`)).json();
    const aim = plan.aims[3];
    const action = aim.actions[0];
    const actionPage = `${pageBase}/plan/aims/${aim.id}/actions/${action.id}`;
    const page = await get(member, actionPage);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('On track');
    expect(page.body).toContain('History of this action');

    const bad = await submitForm(t.app, {
      page: `${actionPage}/progress/new`,
      headers: member.headers,
      fields: { recordedOn: '2999-01-01', note: 'Relet times down to 24 days' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Progress can only be recorded up to today');
    expect(bad.body).toContain('Relet times down to 24 days');
    const good = await submitForm(t.app, {
      page: `${actionPage}/progress/new`,
      headers: member.headers,
      fields: { recordedOn: '2026-01-10', note: 'Relet times down to 24 days' },
    });
    expect(good.statusCode).toBe(303);
    expect((await get(member, good.headers.location!)).body).toContain('Relet times down to 24 days');

    const noReason = await submitForm(t.app, {
      page: `${actionPage}/status`,
      headers: member.headers,
      fields: { status: 'at_risk', reason: '', version: String(action.version) },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the status is at risk rather than the suggested on track');
    const set = await submitForm(t.app, {
      page: `${actionPage}/status`,
      headers: member.headers,
      fields: {
        status: 'at_risk',
        reason: 'The contractor has gone into administration',
        version: String(action.version),
      },
    });
    expect(set.statusCode).toBe(303);
    const after = (await get(member, actionPage)).body;
    expect(after).toContain('The contractor has gone into administration');
    expect(after).toContain('At risk');

    const viewerComment = await submitForm(t.app, {
      page: `${pageBase}/plan/comments/new?actionId=${action.id}`,
      headers: lead.headers,
      fields: { body: 'Please share the contractor’s recovery plan', actionId: action.id },
    });
    expect(viewerComment.statusCode).toBe(303);
    expect((await get(member, actionPage)).body).toContain('Please share the contractor’s recovery plan');
  });
});
