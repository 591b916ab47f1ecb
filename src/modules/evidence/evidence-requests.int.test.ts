import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { cookiesFrom, mergeCookies, submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { multipartBody } from '../../files/multipart-body.js';
import { makePdf } from '../../files/sample-files.js';
import { assessments } from '../assessments/assessments.tables.js';
import { markOverdueRequests } from './evidence.repository.js';
import { evidenceRequests } from './evidence.tables.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('evidence requests to the organisation', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let member: TestUser;
  let otherMember: TestUser;
  let inspectionId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Requested Council' });
    const other = await createTestOrganisation(db, { name: 'Unrelated Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Repairs',
    });
    inspector = await createTestUser(db, 'inspector');
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id, name: 'Mo Member' });
    otherMember = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: inspector.headers,
      payload: {
        organisationId: organisation.id,
        serviceId: service.id,
        kind: 'inspection',
        title: 'Repairs inspection',
        sharedWithOrganisation: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    inspectionId = res.json().id;
  });

  it('lets the team ask, shows overdue requests, and lets the organisation answer by upload', async () => {
    const page = `/assessments/${inspectionId}/evidence/requests`;
    // Inside the evidence section, not the evidence list that its tab links to.
    expect((await t.app.inject({ url: page, headers: inspector.headers })).body).toContain(
      'aria-current="true">Evidence',
    );
    const asked = await submitForm(t.app, {
      page,
      headers: inspector.headers,
      fields: {
        what: 'Repairs satisfaction survey results',
        'dueOn-day': '31',
        'dueOn-month': '2',
        'dueOn-year': '2020',
      },
    });
    // The GOV.UK date input: the error summary names the date and links to its day field; the typed values stay.
    expect(asked.statusCode).toBe(400);
    expect(asked.body).toContain('href="#dueOn-day">The date it is needed by must be a real date</a>');
    expect(asked.body).toMatch(/id="dueOn-day"[^>]*value="31"/);
    expect(asked.body).toMatch(/id="dueOn-year"[^>]*value="2020"/);
    const noDate = await submitForm(t.app, { page, headers: inspector.headers, fields: { what: 'Survey results' } });
    expect(noDate.body).toContain('href="#dueOn-day">Enter the date it is needed by</a>');
    const requested = await submitForm(t.app, {
      page,
      headers: inspector.headers,
      fields: {
        what: 'Repairs satisfaction survey results',
        'dueOn-day': '31',
        'dueOn-month': '1',
        'dueOn-year': '2020',
        kloeRefs: '5.1.2, 6.1',
      },
    });
    expect(requested.statusCode, requested.body).toBe(303);
    const badKloe = await submitForm(t.app, {
      page,
      headers: inspector.headers,
      fields: { what: 'x', 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2030', kloeRefs: '9.9' },
    });
    expect(badKloe.statusCode).toBe(400);
    expect(badKloe.body).toContain('Not KLOEs of this assessment: 9.9');

    const list = (
      await t.app.inject({ url: `/api/assessments/${inspectionId}/evidence-requests`, headers: member.headers })
    ).json();
    expect(list.requests).toHaveLength(1);
    expect(list.requests[0]).toMatchObject({ status: 'open', overdue: true, kloeRefs: ['5.1.2', '6.1'] });
    const memberPage = await t.app.inject({ url: page, headers: member.headers });
    expect(memberPage.body).toContain('Overdue');
    expect(memberPage.body).toContain('Answer with files');
    expect(memberPage.body).not.toContain('Request evidence from the organisation');

    const requestId = list.requests[0].id as string;
    const token = /name="_csrf" value="([^"]+)"/.exec(memberPage.body)![1]!;
    const { payload, headers } = multipartBody({ _csrf: token, notes: 'Survey of 400 tenants' }, [
      { name: 'survey.pdf', bytes: makePdf('Tenant satisfaction with repairs: 87 per cent') },
    ]);
    const answered = await t.app.inject({
      method: 'POST',
      url: `${page}/${requestId}/answer`,
      headers: { ...member.headers, ...headers, cookie: mergeCookies(cookiesFrom(memberPage.headers['set-cookie'])) },
      payload,
    });
    expect(answered.statusCode, answered.body).toBe(303);
    const after = (
      await t.app.inject({ url: `/api/assessments/${inspectionId}/evidence-requests`, headers: inspector.headers })
    ).json();
    expect(after.requests[0]).toMatchObject({ status: 'answered', overdue: false });
    const item = (
      await t.app.inject({
        url: `/api/assessments/${inspectionId}/evidence/${after.requests[0].answerItemId}`,
        headers: inspector.headers,
      })
    ).json();
    expect(item).toMatchObject({ source: 'Mo Member', notes: 'Survey of 400 tenants' });
    expect(item.files[0]).toMatchObject({ name: 'survey.pdf', extraction: 'done' });

    const again = multipartBody({}, [{ name: 'late.txt', bytes: Buffer.from('late') }]);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${inspectionId}/evidence-requests/${requestId}/answer`,
      headers: { ...member.headers, ...again.headers },
      payload: again.payload,
    });
    expect(twice.statusCode).toBe(409);
    const outsider = await t.app.inject({
      url: `/api/assessments/${inspectionId}/evidence-requests`,
      headers: otherMember.headers,
    });
    expect(outsider.statusCode).toBe(404);
  });

  it('marks each request overdue once: open, past its date, of an assessment not yet published', async () => {
    const { db } = t.database;
    const ask = async (what: string, dueOn: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/assessments/${inspectionId}/evidence-requests`,
          headers: inspector.headers,
          payload: { what, dueOn, kloeRefs: [] },
        })
      ).json().id as string;
    const late = await ask('Complaints log', '2026-03-01');
    const dueToday = await ask('Repairs backlog', '2026-03-02');
    const answered = await ask('Tenant survey', '2026-02-01');
    await db.update(evidenceRequests).set({ status: 'answered' }).where(eq(evidenceRequests.id, answered));

    const first = await markOverdueRequests(db, '2026-03-02');
    expect(first.map((r) => r.id)).toContain(late);
    expect(first.map((r) => r.id)).not.toContain(dueToday);
    expect(first.map((r) => r.id)).not.toContain(answered);
    expect(first.find((r) => r.id === late)).toMatchObject({ assessmentId: inspectionId, dueOn: '2026-03-01' });
    expect(await markOverdueRequests(db, '2026-03-02')).toEqual([]);
    // The next day the one due today is overdue too, and only it.
    expect((await markOverdueRequests(db, '2026-03-03')).map((r) => r.id)).toEqual([dueToday]);

    // A published assessment's requests are no longer followed.
    const stale = await ask('Asset register', '2026-01-01');
    await db.update(assessments).set({ status: 'published' }).where(eq(assessments.id, inspectionId));
    try {
      expect(await markOverdueRequests(db, '2026-03-03')).toEqual([]);
    } finally {
      await db.update(assessments).set({ status: 'planning' }).where(eq(assessments.id, inspectionId));
    }
    expect((await markOverdueRequests(db, '2026-03-03')).map((r) => r.id)).toEqual([stale]);
  });
});
