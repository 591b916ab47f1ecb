import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { J2_KLOE_REFS } from '../../testing/kloe-refs.js';
import { cookiesFrom } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { multipartBody, type FormFile } from '../../files/multipart-body.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { reportFiles, reportTemplates } from './reports.tables.js';
import { starterTemplate } from './starter-template.js';
import { docxPart, xmlText } from './testing/files.js';
import { createJudgedAssessment, fixtureExtensions, fixtureSource } from './testing/report-fixtures.js';
import { createPdfPrinter } from './report-pdf.js';
import { createTemplateRenderer } from './template-renderer.js';
import { createReportsService } from './reports.service.js';
import { createViewEnvironment } from '../../web/nunjucks.js';
import { templateDocx } from './testing/template-files.js';
import { lyingZip } from '../../testing/lying-zip.js';
import { TEST_CHROMIUM } from '../../testing/test-chromium.js';

const RECOMMENDATIONS = [
  'Benchmark repair costs against similar landlords every year',
  'Publish repair times to tenants monthly',
];

describeEachDatabase('report templates', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let lead: TestUser;
  let memberA: TestUser;
  let viewerA: TestUser;
  let memberB: TestUser;
  let assessment: { id: string; version: number; organisationId: string };
  let starter: Buffer;

  beforeAll(async () => {
    const { db } = t.database;
    admin = await createTestUser(db, 'administrator');
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    assessment = await createJudgedAssessment(db, lead.actor, 'Housing repairs inspection');
    memberA = await createTestUser(db, 'organisation_member', { organisationId: assessment.organisationId });
    viewerA = await createTestUser(db, 'viewer', { organisationId: assessment.organisationId });
    const other = await createTestOrganisation(db, { name: 'Other Borough Council' });
    memberB = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    starter = await starterTemplate();
  });

  const upload = (user: TestUser, fields: Record<string, string>, file?: FormFile) => {
    const { payload, headers } = multipartBody(fields, file ? [file] : []);
    return t.app.inject({
      method: 'POST',
      url: '/api/report-templates',
      headers: { ...user.headers, ...headers },
      payload,
    });
  };
  const docx = (bytes: Buffer, name = 'template.docx'): FormFile => ({ field: 'file', name, bytes });
  const list = async (user: TestUser) =>
    (
      (await t.app.inject({ url: '/api/report-templates', headers: user.headers })).json().templates as {
        name: string;
      }[]
    ).map((x) => x.name);
  const fill = (user: TestUser, template: string, format = 'docx') =>
    t.app.inject({
      url: `/api/assessments/${assessment.id}/report?format=${format}&template=${template}`,
      headers: user.headers,
    });

  let ownId: string;
  let sharedId: string;

  it('keeps a good template with its placeholders, for the uploader’s organisation', async () => {
    const res = await upload(memberA, { name: 'Council style', description: 'For cabinet' }, docx(starter));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'Council style',
      organisationId: assessment.organisationId,
      description: 'For cabinet',
    });
    expect(body.placeholders).toContain('INS organisation.name');
    ownId = body.id;
    const shared = await upload(admin, { name: 'Inspectorate house style', organisationId: 'shared' }, docx(starter));
    expect(shared.statusCode, shared.body).toBe(201);
    expect(shared.json().organisationId).toBeNull();
    sharedId = shared.json().id;
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, ownId));
    expect(entry).toMatchObject({ action: 'report_template.created', actorId: memberA.actor.userId });
    expect(entry!.after).toMatchObject({ name: 'Council style', organisationId: assessment.organisationId });
  });

  it('shows each organisation its own templates and the shared ones, and nobody else’s', async () => {
    expect(await list(memberA)).toEqual(['Inspectorate house style', 'Council style']);
    expect(await list(viewerA)).toEqual(['Inspectorate house style', 'Council style']);
    expect(await list(memberB)).toEqual(['Inspectorate house style']);
    expect(await list(admin)).toEqual(['Inspectorate house style', 'Council style']);
    expect((await t.app.inject({ url: `/api/report-templates/${ownId}`, headers: memberB.headers })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ url: `/api/report-templates/${ownId}/file`, headers: memberB.headers })).statusCode,
    ).toBe(404);
    const file = await t.app.inject({ url: `/api/report-templates/${ownId}/file`, headers: viewerA.headers });
    expect(file.rawPayload.equals(starter)).toBe(true);
    const usable = await t.app.inject({
      url: `/api/assessments/${assessment.id}/report-templates`,
      headers: lead.headers,
    });
    expect(
      usable
        .json()
        .templates.map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([ownId, sharedId].sort());
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(spec.paths['/api/report-templates'])).toEqual(['get', 'post']);
    expect(Object.keys(spec.paths['/api/report-templates/{templateId}'])).toEqual(['get', 'delete']);
    expect(spec.paths['/api/report-templates'].post.responses).toHaveProperty('422');
    expect(spec.paths['/api/assessments/{id}/report-templates'].get.tags).toEqual(['report templates']);
    const report = spec.paths['/api/assessments/{id}/report'].get;
    expect(report.parameters.map((p: { name: string }) => p.name)).toContain('template');
  });

  it('lets only administrators add shared templates, and nobody add one for another organisation', async () => {
    const shared = await upload(memberA, { name: 'Sneaky', organisationId: 'shared' }, docx(starter));
    expect(shared.statusCode).toBe(403);
    expect(shared.body).toContain('organisationId');
    expect(
      (await upload(memberA, { name: 'Other', organisationId: memberB.actor.organisationId! }, docx(starter)))
        .statusCode,
    ).toBe(404);
    expect((await upload(viewerA, { name: 'Viewer' }, docx(starter))).statusCode).toBe(403);
    expect((await upload(lead, { name: 'Inspector' }, docx(starter))).statusCode).toBe(403);
  });

  it('refuses a broken template naming the placeholder, and keeps nothing', async () => {
    const before = (await t.database.db.select().from(reportTemplates)).length;
    const unknown = await upload(
      memberA,
      { name: 'Typo' },
      docx(await templateDocx(['Report for {{organisation.nme}}', '{{FOR k IN kloes}}{{$k.ref}}{{END-FOR k}}'])),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json().detail ?? unknown.json().title).toContain(
      'Unknown placeholder "organisation.nme" in the template',
    );
    expect(unknown.body).toContain('"field":"file"');
    const unclosed = await upload(
      memberA,
      { name: 'Open loop' },
      docx(await templateDocx(['{{FOR k IN kloes}}', '{{$k.ref}}'])),
    );
    expect(unclosed.statusCode).toBe(422);
    expect(unclosed.body).toContain('never closed: add {{END-FOR k}}');
    const code = await upload(
      memberA,
      { name: 'Code' },
      docx(await templateDocx(['{{EXEC require("child_process")}}'])),
    );
    expect(code.statusCode).toBe(422);
    expect(code.body).toContain('is not allowed');
    const pdf = await upload(memberA, { name: 'A PDF' }, docx(Buffer.from('%PDF-1.7\n…'), 'report.docx'));
    expect(pdf.statusCode).toBe(415);
    const none = await upload(memberA, { name: 'No file' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('"field":"file"');
    const unnamed = await upload(memberA, { name: '  ' }, docx(starter));
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toContain('Enter a name for the template');
    expect((await t.database.db.select().from(reportTemplates)).length).toBe(before);
  });

  it('refuses a file over the size limit with 413, naming the limit', async () => {
    const res = await upload(memberA, { name: 'Huge' }, docx(Buffer.concat([starter, Buffer.alloc(5 * 1024 * 1024)])));
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('5 MB');
    expect(res.body).toContain('"field":"file"');
  });

  it('reads a template by exactly the bytes it counted, whatever its central directory says', async () => {
    // Its local headers show {{organisation.name}}; its central directory points word/document.xml at another
    // part, hidden in padding, that would inflate to 30 MB (past the 20 MB cap) and names assessment.title.
    const honest = unzipSync(await templateDocx(['{{organisation.name}}']));
    const visibleXml = strFromU8(honest['word/document.xml']!);
    const padding = '<w:p><w:r><w:t>x</w:t></w:r></w:p>'.repeat(900_000);
    const hiddenXml = visibleXml
      .replace('{{organisation.name}}', '{{assessment.title}}')
      .replace('</w:body>', `${padding}</w:body>`);
    const bomb = lyingZip(honest, { name: 'word/document.xml', data: strToU8(hiddenXml) });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const res = await upload(memberA, { name: 'Two faces' }, docx(bomb));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().placeholders).toEqual(['INS organisation.name']);
    await t.app.inject({ method: 'DELETE', url: `/api/report-templates/${res.json().id}`, headers: memberA.headers });
  });

  it('answers other requests while a slow template is filled', async () => {
    // 400 paragraphs of fields for each of the 15 KLOEs: a few seconds of work.
    const slow = await templateDocx([
      '{{FOR k IN kloes}}',
      ...Array.from({ length: 400 }, () => '{{$k.ref}} {{$k.question}} {{$k.rating}} {{$k.rationale}}'),
      '{{END-FOR k}}',
    ]);
    const [row] = await t.database.db
      .insert(reportTemplates)
      .values({ organisationId: null, name: 'Slow', bytes: slow, size: slow.length, sha256: 'x', placeholders: [] })
      .returning();
    let filled = false;
    const filling = fill(lead, row!.id).then((res) => {
      filled = true;
      return res;
    });
    // Wait until the fill is under way (the render started), then ask for /health.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await t.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(filled).toBe(false);
    const done = await filling;
    expect(done.statusCode, done.body).toBe(200);
    await t.database.db.delete(reportTemplates).where(eq(reportTemplates.id, row!.id));
  });

  it('fills a template with the report: organisation, every KLOE with its rating, the recommendations', async () => {
    const res = await fill(lead, ownId);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const text = xmlText(docxPart(res.rawPayload, 'word/document.xml'));
    expect(text).toContain('Organisation: Ashcombe Report Council');
    expect(text).toContain('Draft: this report is not published');
    for (const ref of J2_KLOE_REFS) expect(text).toContain(`KLOE ${ref}: `);
    expect(text.match(/Rating: Promising/g)).toHaveLength(J2_KLOE_REFS.length);
    for (const rec of RECOMMENDATIONS) expect(text).toContain(rec);
    expect(text).not.toContain('{{');
    expect((await fill(lead, sharedId)).statusCode).toBe(200);
  });

  it('fills in the evidence under each KLOE, the evidence appendix and the indicator charts', async () => {
    const reports = createReportsService({
      db: t.database.db,
      views: createViewEnvironment(),
      sources: [fixtureSource(fixtureExtensions(J2_KLOE_REFS, { evidence: 12, charts: 2 }))],
      printer: createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 4 }),
      renderer: createTemplateRenderer(),
    });
    const file = await reports.file(lead.actor, assessment.id, 'docx', { template: ownId });
    const text = xmlText(docxPart(file.bytes, 'word/document.xml'));
    expect(text).toContain('Evidence item 1: document record (supports)');
    expect(text).toContain('Evidence item 12: performance data record');
    expect(text).toContain(createHash('sha256').update('evidence 0').digest('hex'));
    expect(text).toContain('Indicator BV202: repairs completed on time');
  });

  it('refuses a template elsewhere’s, one with another format, and a bad id, as 4xx', async () => {
    const { db } = t.database;
    const [otherTemplate] = await db
      .insert(reportTemplates)
      .values({
        organisationId: memberB.actor.organisationId,
        name: 'Theirs',
        bytes: starter,
        size: starter.length,
        sha256: 'x',
        placeholders: [],
      })
      .returning();
    const elsewhere = await fill(lead, otherTemplate!.id);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('report_template_not_found');
    const pdf = await fill(lead, ownId, 'pdf');
    expect(pdf.statusCode).toBe(400);
    expect(pdf.body).toContain('template');
    expect((await fill(lead, 'not-an-id')).statusCode).toBe(400);
    expect((await fill(memberB, ownId)).statusCode).toBe(404); // memberB may not see the assessment at all
  });

  it('says why a stored template cannot be filled, as 422 and never 500', async () => {
    const [stale] = await t.database.db
      .insert(reportTemplates)
      .values({
        organisationId: null,
        name: 'Stale',
        bytes: await templateDocx(['{{organisation.nme}}']),
        size: 1,
        sha256: 'x',
        placeholders: [],
      })
      .returning();
    const res = await fill(lead, stale!.id);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      'The template \\"Stale\\" could not be filled: Unknown placeholder \\"organisation.nme\\"',
    );
    await t.database.db.delete(reportTemplates).where(eq(reportTemplates.id, stale!.id));
  });

  describe('pages', () => {
    async function postUpload(user: TestUser, fields: Record<string, string>, files: FormFile[]) {
      const form = await t.app.inject({ url: '/report-templates', headers: user.headers });
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const { payload, headers } = multipartBody({ _csrf: token, ...fields }, files);
      return t.app.inject({
        method: 'POST',
        url: '/report-templates',
        headers: { ...user.headers, ...headers, cookie: cookiesFrom(form.headers['set-cookie']) },
        payload,
      });
    }

    it('lists templates with the upload form; a refused file shows the error summary and keeps what was typed', async () => {
      const page = await t.app.inject({ url: '/report-templates', headers: memberA.headers });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Council style');
      expect(page.body).toContain('href="/report-templates/starter.docx"');
      expect(page.body).toContain('enctype="multipart/form-data"');
      expect(page.body).toContain('<code>kloes[].areasForImprovement[]</code>');
      const refused = await postUpload(memberA, { name: 'My typo', description: 'Keep me' }, [
        docx(await templateDocx(['{{organisation.nme}}'])),
      ]);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('govuk-error-summary');
      expect(refused.body).toContain('href="#file"');
      expect(refused.body).toContain('Unknown placeholder &quot;organisation.nme&quot; in the template');
      expect(refused.body).toContain('value="My typo"');
      expect(refused.body).toContain('Keep me');
      const added = await postUpload(memberA, { name: 'From the page' }, [docx(starter)]);
      expect(added.statusCode).toBe(303);
      expect(added.headers.location).toBe('/report-templates?done=added');
      const huge = await postUpload(memberA, { name: 'Huge' }, [docx(Buffer.alloc(6 * 1024 * 1024))]);
      expect(huge.statusCode).toBe(413);
      expect(huge.headers['content-type']).toContain('text/html');
      expect(huge.body).toContain('5 MB');
      const viewerPage = await t.app.inject({ url: '/report-templates', headers: viewerA.headers });
      expect(viewerPage.body).not.toContain('enctype="multipart/form-data"');
    });

    it('offers the starter template, and on the report page the templates the assessment may use', async () => {
      const file = await t.app.inject({ url: '/report-templates/starter.docx', headers: memberA.headers });
      expect(file.statusCode).toBe(200);
      expect(xmlText(docxPart(file.rawPayload, 'word/document.xml'))).toContain('{{organisation.name}}');
      const page = await t.app.inject({ url: `/assessments/${assessment.id}/report`, headers: lead.headers });
      expect(page.body).toContain(`<option value="${ownId}">Council style</option>`);
      expect(page.body).toContain(`<option value="${sharedId}">Inspectorate house style (shared)</option>`);
      expect(page.body).not.toContain('Theirs');
      const download = await t.app.inject({
        url: `/assessments/${assessment.id}/report.docx?template=${ownId}`,
        headers: lead.headers,
      });
      expect(xmlText(docxPart(download.rawPayload, 'word/document.xml'))).toContain(
        'Organisation: Ashcombe Report Council',
      );
      const builtIn = await t.app.inject({
        url: `/assessments/${assessment.id}/report.docx?template=`,
        headers: lead.headers,
      });
      expect(xmlText(docxPart(builtIn.rawPayload, 'word/document.xml'))).toContain('Scorecard');
    });
  });

  it('stores a published report per template: the same bytes again, apart from the built-in one', async () => {
    const { db } = t.database;
    await createAssessmentsService({ db }).moveStatus(lead.actor, assessment.id, {
      status: 'published',
      version: assessment.version,
    });
    const first = await fill(lead, ownId);
    const second = await fill(lead, ownId);
    expect(first.headers['x-kloe-report']).toBe('stored');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(xmlText(docxPart(first.rawPayload, 'word/document.xml'))).not.toContain('Draft: this report');
    const builtIn = await t.app.inject({
      url: `/api/assessments/${assessment.id}/report?format=docx`,
      headers: lead.headers,
    });
    expect(builtIn.rawPayload.equals(first.rawPayload)).toBe(false);
    const keys = (await db.select().from(reportFiles)).map((r) => r.format).sort();
    expect(keys).toEqual(['docx', `template:${ownId}`]);
  });

  it('deletes a template for those who manage it; stored reports made with it stay', async () => {
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/report-templates/${ownId}`, headers: memberB.headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/report-templates/${ownId}`, headers: viewerA.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/report-templates/${sharedId}`, headers: memberA.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/report-templates/${ownId}`, headers: memberA.headers }))
        .statusCode,
    ).toBe(204);
    expect(await list(memberA)).not.toContain('Council style');
    expect((await t.database.db.select().from(reportFiles)).map((r) => r.format)).toContain(`template:${ownId}`);
  });
});
