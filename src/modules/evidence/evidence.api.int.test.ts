import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createJudgedAssessment } from '../reports/testing/report-fixtures.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { multipartBody, type FormFile } from '../../files/multipart-body.js';
import { makeDocx, makeExe, makePdf, makeXlsx, makeZipBombDocx } from '../../files/sample-files.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('evidence API', (driver) => {
  const t = useTestApp(driver, {
    evidence: {
      dir: path.join(inject('runFolder'), `evidence-api-${driver}-${process.pid}`),
      maxBytes: 2 * 1024 * 1024,
      types: ['pdf', 'docx', 'xlsx', 'csv', 'txt', 'png', 'jpeg'],
      uploadsAtOnce: 8,
    },
  });
  let member: TestUser;
  let viewer: TestUser;
  let otherMember: TestUser;
  let inspector: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Evidence Borough Council' });
    const other = await createTestOrganisation(db, { name: 'Another Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Housing repairs',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    viewer = await createTestUser(db, 'viewer', { organisationId: organisation.id });
    otherMember = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    inspector = await createTestUser(db, 'inspector');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: {
        organisationId: organisation.id,
        serviceId: service.id,
        kind: 'self_assessment',
        title: 'Repairs self-assessment',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });

  const upload = (user: TestUser, fields: Record<string, string>, files: FormFile[], url?: string) => {
    const { payload, headers } = multipartBody(fields, files);
    return t.app.inject({
      method: 'POST',
      url: url ?? `/api/assessments/${assessmentId}/evidence`,
      headers: { ...user.headers, ...headers },
      payload,
    });
  };
  const get = (user: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: user.headers });

  const PLAN = 'Repairs improvement plan 2025–28\nThe backlog of responsive repairs fell by a third.';

  it('stores two documents at once, hashes them, extracts their text and finds them', async () => {
    const res = await upload(member, { title: 'Improvement plan', kind: 'document', source: 'Head of repairs' }, [
      { name: 'plan.pdf', bytes: makePdf(PLAN), type: 'application/pdf' },
      { name: 'targets.docx', bytes: makeDocx('Tenant satisfaction target of 85 per cent') },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item.files).toHaveLength(2);
    expect(item.files.map((f: { extraction: string }) => f.extraction)).toEqual(['done', 'done']);
    expect(item.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.files.map((f: { mediaType: string }) => f.mediaType)).toContain('application/pdf');

    const search = await get(member, `/api/assessments/${assessmentId}/evidence/search?q=backlog`);
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().results).toHaveLength(1);
    expect(search.json().results[0].snippet).toContain('«backlog»');
    const phrase = await get(member, `/api/evidence/search?q=${encodeURIComponent('"tenant satisfaction"')}`);
    expect(phrase.json().results.map((r: { itemId: string }) => r.itemId)).toEqual([item.id]);
    const none = await get(member, `/api/evidence/search?q=backlog&kind=interview`);
    expect(none.json().results).toEqual([]);
  });

  it('stores and searches files whose text has more distinct words than a search vector holds', async () => {
    // Distinct numbers, as a data export has: 900,000 characters would make a 1.9 MB vector (the limit is 1 MB).
    const numbers = (from: number) =>
      Buffer.from(Array.from({ length: 110_000 }, (_, i) => `${from + i * 7},${from + i * 13}`).join('\n'));
    const res = await upload(member, { title: 'Repairs ledger export', kind: 'performance_data' }, [
      { name: 'ledger-2024.csv', bytes: numbers(1_000_000), type: 'text/csv' },
      { name: 'ledger-2025.csv', bytes: numbers(5_000_000), type: 'text/csv' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    // Files this large are extracted after the upload: wait for both (a failed store would leave them pending).
    const itemUrl = `/api/assessments/${assessmentId}/evidence/${res.json().id}`;
    const statuses = async () =>
      (await get(member, itemUrl)).json().files.map((f: { extraction: string }) => f.extraction) as string[];
    for (let i = 0; i < 300 && (await statuses()).includes('pending'); i++) await sleep(100);
    expect(await statuses()).toEqual(['done', 'done']);
    const search = await get(member, `/api/assessments/${assessmentId}/evidence/search?q=1000013`);
    expect(search.json().results.map((r: { itemId: string }) => r.itemId)).toEqual([res.json().id]);
  });

  it('recognises a duplicate upload and keeps one stored file', async () => {
    const bytes = makeXlsx(['Repairs completed on time', '92']);
    const first = (
      await upload(member, { title: 'KPI sheet', kind: 'performance_data' }, [{ name: 'kpi.xlsx', bytes }])
    ).json();
    const second = (
      await upload(member, { title: 'KPI sheet again', kind: 'performance_data' }, [{ name: 'copy.xlsx', bytes }])
    ).json();
    expect(second.files[0].id).toBe(first.files[0].id);
    expect(second.files[0].name).toBe('copy.xlsx');
    const search = await get(member, `/api/assessments/${assessmentId}/evidence/search?q=completed`);
    expect(search.json().results).toHaveLength(2);
  });

  it('refuses a renamed executable, a zip bomb and an empty file, and keeps nothing of the batch', async () => {
    const before = (await get(member, `/api/assessments/${assessmentId}/evidence`)).json().items.length;
    const res = await upload(member, { title: 'Mixed', kind: 'document' }, [
      { name: 'fine.txt', bytes: Buffer.from('a fine note') },
      { name: 'report.pdf', bytes: makeExe(), type: 'application/pdf' },
      { name: 'empty.txt', bytes: Buffer.alloc(0) },
    ]);
    expect(res.statusCode).toBe(415);
    const messages = res.json().errors.map((e: { message: string }) => e.message);
    expect(messages).toEqual(['report.pdf is a program, not a document', 'empty.txt is empty']);
    expect((await get(member, `/api/assessments/${assessmentId}/evidence`)).json().items.length).toBe(before);

    const bomb = await upload(member, { title: 'Bomb', kind: 'document' }, [
      { name: 'bomb.docx', bytes: makeZipBombDocx(70) },
    ]);
    expect(bomb.statusCode, bomb.body).toBe(201);
    expect(bomb.json().files[0]).toMatchObject({ extraction: 'failed' });
    expect(bomb.json().files[0].extractionError).toMatch(/inflates beyond/);
  });

  it('stores a truncated PDF but marks its text as not extracted', async () => {
    const pdf = makePdf('Cut short');
    const res = await upload(member, { title: 'Broken', kind: 'document' }, [
      { name: 'broken.pdf', bytes: pdf.subarray(0, 120) },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().files[0]).toMatchObject({ extraction: 'failed' });
  });

  it('answers 413 stating the limit for an oversize file', async () => {
    const res = await upload(member, { title: 'Huge', kind: 'document' }, [
      { name: 'big.txt', bytes: Buffer.alloc(3 * 1024 * 1024, 0x61) },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toContain('2 MB');
  });

  it('sanitises names: no traversal, no control characters', async () => {
    const res = await upload(member, { title: 'Names', kind: 'document' }, [
      { name: '../../etc/pass\u0007wd.txt', bytes: Buffer.from('traversal attempt') },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().files[0].name).toBe('passwd.txt');
  });

  it('serves downloads as attachments to those who may see the assessment, and to no one else', async () => {
    const item = (
      await upload(member, { title: 'Minutes', kind: 'correspondence' }, [
        { name: 'minutes «May».txt', bytes: Buffer.from('Cabinet minutes') },
      ])
    ).json();
    const url = item.files[0].download as string;
    const ok = await get(viewer, url);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain');
    expect(ok.headers['content-disposition']).toMatch(/^attachment; filename="minutes _May_.txt"/);
    expect(ok.body).toBe('Cabinet minutes');
    expect((await get(otherMember, url)).statusCode).toBe(404);
    expect((await get(inspector, url)).statusCode).toBe(404);
    const search = await get(otherMember, '/api/evidence/search?q=cabinet');
    expect(search.json().results).toEqual([]);
  });

  it('links evidence to statements and KLOEs, and refuses targets outside the assessment', async () => {
    const item = (
      await t.app.inject({
        method: 'POST',
        url: `/api/assessments/${assessmentId}/evidence`,
        headers: member.headers,
        payload: {
          title: 'Interview with head of service',
          kind: 'interview',
          notes: 'Performance is reported to members monthly.',
        },
      })
    ).json();
    const link = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence/${item.id}/links`,
      headers: member.headers,
      payload: { target: '5.1.2-P1', stance: 'supports', quote: 'reported monthly', page: '3' },
    });
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json()).toMatchObject({ kloeRef: '5.1.2', statementRef: '5.1.2-P1', stance: 'supports' });
    const whole = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence/${item.id}/links`,
      headers: member.headers,
      payload: { target: '6.1', stance: 'contradicts' },
    });
    expect(whole.json()).toMatchObject({ kloeRef: '6.1', statementRef: null });
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence/${item.id}/links`,
      headers: member.headers,
      payload: { target: '9.9-P1', stance: 'supports' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('target');
    const viewerLink = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence/${item.id}/links`,
      headers: viewer.headers,
      payload: { target: '6.1', stance: 'supports' },
    });
    expect(viewerLink.statusCode).toBe(403);
    const detail = (await get(member, `/api/assessments/${assessmentId}/evidence/${item.id}`)).json();
    expect(detail.links).toHaveLength(2);
  });

  it('puts the linked evidence beside its KLOEs in the report, and every item with its hashes in the appendix', async () => {
    const items = (await get(member, `/api/assessments/${assessmentId}/evidence`)).json().items as {
      id: string;
      title: string;
    }[];
    const plan = (
      await get(
        member,
        `/api/assessments/${assessmentId}/evidence/${items.find((i) => i.title === 'Improvement plan')!.id}`,
      )
    ).json();
    const report = await get(member, `/assessments/${assessmentId}/report`);
    expect(report.statusCode).toBe(200);
    const html = report.body;
    const appendix = html.slice(html.indexOf('Appendix: evidence'));
    for (const item of items) expect(appendix).toContain(`id="evidence-${item.id}"`);
    for (const file of plan.files as { sha256: string }[]) expect(appendix).toContain(file.sha256);
    const interview = items.find((i) => i.title === 'Interview with head of service')!;
    expect(html).toContain(
      `<a class="govuk-link" href="#evidence-${interview.id}">Interview with head of service</a> (supports, statement 5.1.2-P1)`,
    );
    expect(html).toContain(
      `<a class="govuk-link" href="#evidence-${interview.id}">Interview with head of service</a> (contradicts)`,
    );
  });

  it('changes an item’s details and deletes it with its links, keeping both in the audit trail', async () => {
    const created = await upload(
      member,
      { title: 'Site visit: estate', kind: 'site_visit', notes: 'Voids were tidy.' },
      [{ name: 'photo-notes.txt', bytes: Buffer.from('Void properties inspected on the Elm estate') }],
    );
    const item = created.json();
    const itemUrl = `/api/assessments/${assessmentId}/evidence/${item.id}`;
    const put = (user: TestUser, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: itemUrl, headers: user.headers, payload });

    const bad = await put(member, { title: ' ', kind: 'site_visit' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toEqual({ field: 'body.title', message: 'Enter a title' });
    expect((await put(viewer, { title: 'Mine now', kind: 'document' })).statusCode).toBe(403);
    expect((await put(otherMember, { title: 'Mine now', kind: 'document' })).statusCode).toBe(404);

    const changed = await put(member, {
      title: 'Reality check: Elm estate voids',
      kind: 'site_visit',
      source: 'Lead inspector',
      evidenceDate: '2026-03-02',
      notes: 'Twelve voids seen; all ready to let.',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Reality check: Elm estate voids', evidenceDate: '2026-03-02' });
    expect(changed.json().files).toHaveLength(1);
    const found = (await get(member, `/api/assessments/${assessmentId}/evidence/search?q=twelve voids`)).json();
    expect(found.results.map((r: { itemId: string }) => r.itemId)).toEqual([item.id]);

    await t.app.inject({
      method: 'POST',
      url: `${itemUrl}/links`,
      headers: member.headers,
      payload: { target: '5.1.2-P1', stance: 'supports' },
    });
    expect((await t.app.inject({ method: 'DELETE', url: itemUrl, headers: viewer.headers })).statusCode).toBe(403);
    const deleted = await t.app.inject({ method: 'DELETE', url: itemUrl, headers: member.headers });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await get(member, itemUrl)).statusCode).toBe(404);
    const list = (await get(member, `/api/assessments/${assessmentId}/evidence`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
    const after = (await get(member, `/api/assessments/${assessmentId}/evidence/search?q=twelve voids`)).json();
    expect(after.results).toEqual([]);

    const entries = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'evidence_item'), eq(auditLog.entityId, item.id)));
    const updated = entries.find((e) => e.action === 'evidence.updated')!;
    expect(updated.before).toMatchObject({ title: 'Site visit: estate', notes: 'Voids were tidy.' });
    expect(updated.after).toMatchObject({ title: 'Reality check: Elm estate voids', source: 'Lead inspector' });
    const removed = entries.find((e) => e.action === 'evidence.deleted')!;
    expect(removed.before).toMatchObject({
      title: 'Reality check: Elm estate voids',
      files: [{ name: 'photo-notes.txt', sha256: item.files[0].sha256 }],
      links: 1,
    });
  });

  it('carries the evidence, its files and links into the revision made by reopening a published assessment', async () => {
    const { db } = t.database;
    const judged = await createJudgedAssessment(db, inspector.actor, 'Evidence revision inspection');
    const item = (
      await upload(
        inspector,
        { title: 'Repairs dashboard', kind: 'performance_data' },
        [{ name: 'dashboard.csv', bytes: Buffer.from('month,completed\nMarch,412\n') }],
        `/api/assessments/${judged.id}/evidence`,
      )
    ).json();
    const link = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${judged.id}/evidence/${item.id}/links`,
      headers: inspector.headers,
      payload: { target: '4.3-P1', stance: 'supports', quote: '412 completed' },
    });
    expect(link.statusCode, link.body).toBe(201);
    await createAssessmentsService({ db }).moveStatus(inspector.actor, judged.id, {
      status: 'published',
      version: judged.version,
    });
    const reopened = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${judged.id}/reopen`,
      headers: inspector.headers,
      payload: { reason: 'Follow-up' },
    });
    expect(reopened.statusCode, reopened.body).toBe(201);
    const next = reopened.json().id as string;

    const [copy] = (await get(inspector, `/api/assessments/${next}/evidence`)).json().items;
    expect(copy).toMatchObject({ title: 'Repairs dashboard', files: 1, links: 1 });
    expect(copy.id).not.toBe(item.id);
    const detail = (await get(inspector, `/api/assessments/${next}/evidence/${copy.id}`)).json();
    expect(detail.files[0].sha256).toBe(item.files[0].sha256);
    expect(detail.links[0]).toMatchObject({ statementRef: '4.3-P1', quote: '412 completed' });
    expect((await get(inspector, detail.files[0].download)).body).toContain('March,412');
    const found = (await get(inspector, `/api/assessments/${next}/evidence/search?q=march`)).json();
    expect(found.results.map((r: { itemId: string }) => r.itemId)).toEqual([copy.id]);
    // The published revision keeps its own item, untouched by changes to the copy.
    await t.app.inject({
      method: 'DELETE',
      url: `/api/assessments/${next}/evidence/${copy.id}`,
      headers: inspector.headers,
    });
    expect((await get(inspector, `/api/assessments/${judged.id}/evidence/${item.id}`)).json().links).toHaveLength(1);
  });

  describe('suggestions', () => {
    it('proposes the statements whose words the evidence uses, and accepting one links it', async () => {
      const item = (
        await t.app.inject({
          method: 'POST',
          url: `/api/assessments/${assessmentId}/evidence`,
          headers: member.headers,
          payload: {
            title: 'Scrutiny notes',
            kind: 'observation',
            notes: 'Councillors scrutinise performance; members challenge managers on performance information.',
          },
        })
      ).json();
      expect(item.suggestions.length).toBeGreaterThan(0);
      const top = item.suggestions[0].statementRef as string;
      const accept = await t.app.inject({
        method: 'POST',
        url: `/api/assessments/${assessmentId}/evidence/${item.id}/suggestions/${top}`,
        headers: member.headers,
        payload: { decision: 'accepted' },
      });
      expect(accept.statusCode, accept.body).toBe(204);
      const detail = (await get(member, `/api/assessments/${assessmentId}/evidence/${item.id}`)).json();
      expect(detail.links.map((l: { statementRef: string }) => l.statementRef)).toEqual([top]);
      expect(detail.suggestions.find((s: { statementRef: string }) => s.statementRef === top).status).toBe('accepted');
    });
  });
});
