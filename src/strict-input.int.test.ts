/**
 * Input that used to get through (issue 17 item 14): a version sent as `true` (z.coerce made it 1),
 * bidirectional controls in names and titles (they display text reversed, so names could be spoofed),
 * and an unchanged change to a person, which wrote audit entries claiming a change.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db/testing/test-database.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { auditLog } from './modules/audit/audit.tables.js';
import { organisations, services } from './modules/organisations/organisations.tables.js';
import { useTestApp } from './testing/test-app.js';
import { createTestUser, type TestUser } from './testing/test-users.js';

const SPOOF = '\u202eTIT\u202c evil\u2066\u200f';

describeEachDatabase('input that used to get through', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let lead: TestUser;
  let assessmentId = '';

  const api = (who: TestUser, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    const db = t.database.db;
    const [org] = await db
      .insert(organisations)
      .values({ code: 'STRICT', name: 'Strict', type: 'council' })
      .returning();
    const [service] = await db.insert(services).values({ organisationId: org!.id, name: 'Repairs' }).returning();
    admin = await createTestUser(db, 'administrator');
    lead = await createTestUser(db, 'organisation_member', { organisationId: org!.id });
    const assessment = await createAssessmentsService({ db }).create(
      { kind: 'system', label: 'test' },
      {
        organisationId: org!.id,
        serviceId: service!.id,
        kind: 'self_assessment',
        title: 'Strict self-assessment',
        frameworkId: 'audit-commission-j2',
        leadUserId: lead.actor.userId,
      },
    );
    assessmentId = assessment.id;
    const status = await api(lead, 'POST', `/api/assessments/${assessmentId}/status`, {
      version: assessment.version,
      status: 'fieldwork',
    });
    expect(status.statusCode, status.body).toBe(200);
  });

  it.each([true, null, [], '', '1.5', 'one'].map((version) => ({ version })))(
    'refuses the version $version, which is not a whole number',
    async ({ version }) => {
      const res = await api(lead, 'PUT', `/api/assessments/${assessmentId}/kloes/4.1`, { version, rationale: 'x' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_request', errors: [{ field: 'body.version' }] });
    },
  );

  it('still takes the version as a JSON number, and as the digits a form posts', async () => {
    const saved = await api(lead, 'PUT', `/api/assessments/${assessmentId}/kloes/4.1`, { version: 1, rationale: 'a' });
    expect(saved.statusCode, saved.body).toBe(200);
    const again = await api(lead, 'PUT', `/api/assessments/${assessmentId}/kloes/4.1`, {
      version: '2',
      rationale: 'b',
    });
    expect(again.statusCode, again.body).toBe(200);
  });

  it('removes bidirectional controls from names and titles', async () => {
    const org = await api(admin, 'POST', '/api/organisations', { code: 'SPOOF', name: SPOOF, type: 'council' });
    expect(org.statusCode, org.body).toBe(201);
    expect(org.json()).toMatchObject({ name: 'TIT evil' });
    const person = await api(admin, 'POST', '/api/users', {
      name: `Ada ${SPOOF}`,
      email: 'spoof@example.test',
      role: 'viewer',
      password: 'a long enough password for kloe 2026',
    });
    expect(person.statusCode, person.body).toBe(201);
    expect(person.json()).toMatchObject({ name: 'Ada TIT evil' });
    const { version } = (await api(lead, 'GET', `/api/assessments/${assessmentId}`)).json() as { version: number };
    const renamed = await api(lead, 'PATCH', `/api/assessments/${assessmentId}`, { version, title: SPOOF });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ title: 'TIT evil' });
    // Controls and nothing else is no name at all.
    const empty = await api(admin, 'POST', '/api/organisations', {
      code: 'EMPTY',
      name: '\u202e\u202c',
      type: 'council',
    });
    expect(empty.json()).toMatchObject({ status: 400, errors: [{ field: 'body.name' }] });
  });

  it('records nothing for a change to a person that changes nothing', async () => {
    const viewer = await createTestUser(t.database.db, 'viewer');
    const entries = () =>
      t.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, viewer.actor.userId)));
    const same = await api(admin, 'PATCH', `/api/users/${viewer.actor.userId}`, {
      role: 'viewer',
      disabled: false,
      reason: 'no change',
    });
    expect(same.statusCode, same.body).toBe(200);
    expect(await entries()).toEqual([]);
    const changed = await api(admin, 'PATCH', `/api/users/${viewer.actor.userId}`, { role: 'inspector' });
    expect(changed.statusCode).toBe(200);
    expect(await entries()).toEqual([{ action: 'user.role_changed' }]);
  });
});
