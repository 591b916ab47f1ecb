import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { cookiesFrom, mergeCookies, submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { multipartBody, type FormFile } from '../../files/multipart-body.js';
import { makeDocx, makeExe, makePdf, PNG_1X1 } from '../../files/sample-files.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('evidence pages', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let viewer: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Pages Evidence Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Lettings',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    viewer = await createTestUser(db, 'viewer', { organisationId: organisation.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: {
        organisationId: organisation.id,
        serviceId: service.id,
        kind: 'self_assessment',
        title: 'Lettings review',
      },
    });
    assessmentId = res.json().id;
  });

  /** Posts the page's multipart form as a browser would: its CSRF token and cookie, fields and files. */
  async function postUpload(
    user: TestUser,
    page: string,
    action: string,
    fields: Record<string, string>,
    files: FormFile[],
  ) {
    const form = await t.app.inject({ url: page, headers: user.headers });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const { payload, headers } = multipartBody({ _csrf: token, ...fields }, files);
    return t.app.inject({
      method: 'POST',
      url: action,
      headers: { ...user.headers, ...headers, cookie: mergeCookies(cookiesFrom(form.headers['set-cookie'])) },
      payload,
    });
  }

  const base = () => `/assessments/${assessmentId}/evidence`;

  it('adds an item with a file from the form, then shows its hash, links it and finds it', async () => {
    const list = await t.app.inject({ url: base(), headers: member.headers });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('enctype="multipart/form-data"');
    expect(list.body).toContain('aria-current="page">Evidence</a>');

    const added = await postUpload(
      member,
      base(),
      base(),
      { title: 'Lettings policy', kind: 'document', source: 'Lettings manager' },
      [{ name: 'policy.pdf', bytes: makePdf('Allocations are reviewed by councillors every quarter') }],
    );
    expect(added.statusCode, added.body).toBe(303);
    const itemUrl = added.headers.location!.split('?')[0]!;
    const item = await t.app.inject({ url: itemUrl, headers: member.headers });
    expect(item.body).toMatch(/<code class="kloe-hash">[0-9a-f]{64}<\/code>/);
    expect(item.body).toContain('Text extracted');

    const linked = await submitForm(t.app, {
      page: itemUrl,
      action: `${itemUrl}/links`,
      headers: member.headers,
      fields: { target: '4.1-P1', stance: 'supports', quote: 'reviewed by councillors', page: '1' },
    });
    expect(linked.statusCode, linked.body).toBe(303);
    expect((await t.app.inject({ url: itemUrl, headers: member.headers })).body).toContain(
      '“reviewed by councillors” (page 1)',
    );

    const search = await t.app.inject({ url: `${base()}/search?q=councillors`, headers: viewer.headers });
    expect(search.body).toContain('<mark>councillors</mark>');
    const across = await t.app.inject({ url: '/evidence/search?q=allocations', headers: viewer.headers });
    expect(across.body).toContain('Lettings policy');

    const coverage = await t.app.inject({ url: `${base()}/coverage`, headers: viewer.headers });
    expect(coverage.statusCode).toBe(200);
    expect(coverage.body).toMatch(/id="coverage-4.1"/);
  });

  it('previews a file in the page with the quoted passage marked: a PDF or image inline, a Word file as its text', async () => {
    const added = await postUpload(member, base(), base(), { title: 'Repairs board papers', kind: 'document' }, [
      { name: 'board.pdf', bytes: makePdf('The capital programme slipped twice before the contractor was replaced') },
      { name: 'minutes.docx', bytes: makeDocx('Members asked for <quarterly> reports on voids & repairs') },
      { name: 'photo.png', bytes: PNG_1X1 },
    ]);
    expect(added.statusCode, added.body).toBe(303);
    const itemUrl = added.headers.location!.split('?')[0]!;
    const item = await t.app.inject({ url: itemUrl, headers: member.headers });
    const fileUrl = (name: string) =>
      new RegExp(`href="(${itemUrl}/files/[0-9a-f-]{36})" download>${name.replace('.', '\\.')}<`).exec(item.body)![1]!;
    const [pdf, docx, png] = ['board.pdf', 'minutes.docx', 'photo.png'].map(fileUrl);
    expect(item.body).toContain(`href="${pdf}/preview">Preview<span class="govuk-visually-hidden"> board.pdf</span>`);

    const pdfPreview = await t.app.inject({
      url: `${pdf}/preview?quote=${encodeURIComponent('programme  slipped TWICE')}`,
      headers: viewer.headers,
    });
    expect(pdfPreview.statusCode).toBe(200);
    expect(pdfPreview.body).toContain(`<iframe class="kloe-preview-pdf" src="${pdf}/inline#page=1" title="board.pdf">`);
    expect(pdfPreview.body).toContain('The capital <mark id="quoted-passage">programme slipped twice</mark> before');
    expect(pdfPreview.headers['content-security-policy']).toContain("object-src 'none'");

    const inline = await t.app.inject({ url: `${pdf}/inline`, headers: viewer.headers });
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['content-disposition']).toMatch(/^inline; filename="board\.pdf"/);
    expect(inline.headers['content-security-policy']).toBe(
      "default-src 'none'; object-src 'self'; frame-ancestors 'self'",
    );
    expect(inline.headers['x-content-type-options']).toBe('nosniff');

    const docxPreview = await t.app.inject({
      url: `${docx}/preview?quote=quarterly%20reports`,
      headers: member.headers,
    });
    expect(docxPreview.body).not.toContain('<iframe');
    expect(docxPreview.body).toContain(
      'Members asked for &lt;<mark id="quoted-passage">quarterly&gt; reports</mark> on voids &amp; repairs',
    );
    expect((await t.app.inject({ url: `${docx}/inline`, headers: member.headers })).statusCode).toBe(404);

    const missing = await t.app.inject({ url: `${docx}/preview?quote=annual%20accounts`, headers: member.headers });
    expect(missing.body).toContain('was not found in the text of this file');
    expect(missing.body).not.toContain('<mark');

    const image = await t.app.inject({ url: `${png}/preview`, headers: member.headers });
    expect(image.body).toContain(`<img class="kloe-preview-image" src="${png}/inline" alt="photo.png, as uploaded">`);
    expect((await t.app.inject({ url: `${png}/inline`, headers: member.headers })).headers['content-type']).toBe(
      'image/png',
    );

    const tooLong = await t.app.inject({ url: `${docx}/preview?quote=${'a'.repeat(2001)}`, headers: member.headers });
    expect(tooLong.statusCode).toBe(400);
  });

  it('shows the form again with the error summary and the typed values when a file or a field is refused', async () => {
    const refused = await postUpload(member, base(), base(), { title: 'Sneaky', kind: 'document' }, [
      { name: 'invoice.pdf', bytes: makeExe() },
    ]);
    expect(refused.statusCode).toBe(415);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('invoice.pdf is a program, not a document');
    expect(refused.body).toContain('value="Sneaky"');

    const noTitle = await postUpload(member, base(), base(), { title: '', kind: 'interview' }, []);
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.body).toContain('href="#title">Enter a title');

    const badLink = await submitForm(t.app, {
      page: base(),
      action: `${base()}/00000000-0000-4000-8000-000000000000/links`,
      headers: member.headers,
      fields: { target: '4.1-P1', stance: 'supports' },
    });
    expect(badLink.statusCode).toBe(404);
  });

  it('changes an item’s details through its form, keeping the typed values on a refusal, then deletes it', async () => {
    const added = await postUpload(member, base(), base(), { title: 'Focus group notes', kind: 'focus_group' }, []);
    const itemUrl = added.headers.location!.split('?')[0]!;
    const item = await t.app.inject({ url: itemUrl, headers: member.headers });
    expect(item.body).toContain(`href="${itemUrl}/edit"`);
    const form = await t.app.inject({ url: `${itemUrl}/edit`, headers: member.headers });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Focus group notes"');

    const refused = await submitForm(t.app, {
      page: `${itemUrl}/edit`,
      headers: member.headers,
      fields: {
        title: 'Tenants’ focus group',
        kind: 'focus_group',
        'evidenceDate-day': '40',
        'evidenceDate-month': '13',
        'evidenceDate-year': '2026',
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#evidenceDate-day">The date the evidence is about must be a real date</a>');
    expect(refused.body).toContain('value="Tenants’ focus group"');
    expect(refused.body).toMatch(/id="evidenceDate-day"[^>]*value="40"/);
    expect(refused.body).toMatch(/id="evidenceDate-month"[^>]*value="13"/);

    const saved = await submitForm(t.app, {
      page: `${itemUrl}/edit`,
      headers: member.headers,
      fields: {
        title: 'Tenants’ focus group',
        kind: 'focus_group',
        'evidenceDate-day': '11',
        'evidenceDate-month': '2',
        'evidenceDate-year': '2026',
        notes: 'Eight tenants.',
      },
    });
    expect(saved.statusCode, saved.body).toBe(303);
    const changed = await t.app.inject({ url: saved.headers.location!, headers: member.headers });
    expect(changed.body).toContain('The details have been changed.');
    expect(changed.body).toContain('Tenants’ focus group');
    expect(changed.body).toContain('Eight tenants.');
    expect(changed.body).toContain('11 February 2026');
    // The form to change it again shows the stored date in the three fields.
    const again = await t.app.inject({ url: `${itemUrl}/edit`, headers: member.headers });
    expect(again.body).toMatch(/id="evidenceDate-day"[^>]*value="11"/);
    expect(again.body).toMatch(/id="evidenceDate-month"[^>]*value="2"/);
    expect(again.body).toMatch(/id="evidenceDate-year"[^>]*value="2026"/);

    expect((await t.app.inject({ url: `${itemUrl}/edit`, headers: viewer.headers })).statusCode).toBe(403);
    const confirm = await t.app.inject({ url: `${itemUrl}/delete`, headers: member.headers });
    expect(confirm.body).toContain('Delete “Tenants’ focus group”?');
    const deleted = await submitForm(t.app, { page: `${itemUrl}/delete`, headers: member.headers, fields: {} });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${base()}?done=deleted`);
    const list = await t.app.inject({ url: deleted.headers.location!, headers: member.headers });
    expect(list.body).toContain('The evidence has been deleted.');
    expect(list.body).not.toContain('Tenants’ focus group');
    expect((await t.app.inject({ url: itemUrl, headers: member.headers })).statusCode).toBe(404);
  });

  it('offers a viewer no forms and refuses their posts', async () => {
    const list = await t.app.inject({ url: base(), headers: viewer.headers });
    expect(list.body).not.toContain('enctype="multipart/form-data"');
    const posted = await postUpload(viewer, `${base()}/search`, base(), { title: 'x', kind: 'document' }, []);
    expect(posted.statusCode).toBe(403);
  });

  it('flags a finding of met or not met with no linked evidence in the KLOE workspace, until evidence is linked', async () => {
    const kloe = (
      await t.app.inject({ url: `/api/assessments/${assessmentId}/kloes/6.2`, headers: member.headers })
    ).json();
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${assessmentId}/kloes/6.2`,
      headers: member.headers,
      payload: { version: kloe.version, findings: [{ statementRef: '6.2-P1', outcome: 'met' }] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const page = () => t.app.inject({ url: `/assessments/${assessmentId}/kloes/6.2`, headers: member.headers });
    const before = (await page()).body;
    expect(before).toContain('Judged met with no linked evidence.');
    expect(before).toContain('Evidence for this KLOE as a whole');

    const item = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence`,
      headers: member.headers,
      payload: { title: 'Workforce plan', kind: 'document' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence/${item.json().id}/links`,
      headers: member.headers,
      payload: { target: '6.2-P1', stance: 'supports', quote: 'a costed plan' },
    });
    const after = (await page()).body;
    expect(after).not.toContain('Judged met with no linked evidence.');
    expect(after).toContain('Workforce plan</a> — “a costed plan”');
  });
});
