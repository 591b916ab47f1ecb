/**
 * The inspectorate's branding: administrators set the name and upload a logo (API and page), which kloe
 * re-encodes as a bounded PNG without the upload's metadata; anything but a PNG, JPEG or WebP picture is
 * refused naming the field; every change is audited; and the report in each format carries the name and
 * logo (the DOCX as a picture part in its header and title page, the PDF as an image on every page).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { multipartBody, type FormFile } from '../../files/multipart-body.js';
import { cookiesFrom } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import { docxPart, pdfText, xmlText } from './testing/files.js';
import { createJudgedAssessment } from './testing/report-fixtures.js';

/** A 1200 × 800 JPEG with EXIF (camera, GPS-like comment) that kloe must drop. */
const photoWithMetadata = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1d70b8' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SpyCam', Model: 'Secret 1', ImageDescription: 'taken at 51.5N 0.1W' } })
    .toBuffer();
const smallPng = () =>
  sharp({ create: { width: 120, height: 40, channels: 4, background: '#00703c' } })
    .png()
    .toBuffer();
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
);

/** How many images `pdfimages -list` finds in the PDF. */
function pdfImageCount(bytes: Buffer): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-branding-'));
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, bytes);
    const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n');
    return list.length - 2; // a header line and a rule
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeEachDatabase('report branding', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let inspector: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    admin = await createTestUser(db, 'administrator');
    inspector = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    assessmentId = (await createJudgedAssessment(db, inspector.actor)).id;
  });

  const put = (user: TestUser, fields: Record<string, string>, file?: Buffer, name = 'logo.png') => {
    const files: FormFile[] = file ? [{ field: 'logo', name, bytes: file }] : [];
    const { payload, headers } = multipartBody(fields, files);
    return t.app.inject({ method: 'PUT', url: '/api/branding', headers: { ...user.headers, ...headers }, payload });
  };

  describe('the API', () => {
    it('is for administrators only', async () => {
      expect((await t.app.inject({ url: '/api/branding', headers: inspector.headers })).statusCode).toBe(403);
      const refused = await put(inspector, { name: 'Not mine' });
      expect(refused.statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/branding', headers: admin.headers })).json()).toMatchObject({
        name: null,
        logo: null,
      });
    });

    it('keeps a logo as a PNG fitted into 600 × 200 without the upload’s metadata, and audits the change', async () => {
      const res = await put(admin, { name: 'Audit Commission' }, await photoWithMetadata(), 'photo.png');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ name: 'Audit Commission', logo: { width: 300, height: 200 } });
      const png = Buffer.from(body.logo.dataUri.replace(/^data:image\/png;base64,/, ''), 'base64');
      const meta = await sharp(png).metadata();
      expect(meta).toMatchObject({ format: 'png', width: 300, height: 200 });
      expect(meta.exif).toBeUndefined();
      expect(png.includes(Buffer.from('SpyCam'))).toBe(false);
      const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'report.branding_saved'));
      expect(entry).toMatchObject({
        entityType: 'report_branding',
        before: { name: null, logo: null },
        after: { name: 'Audit Commission', logo: { width: 300, height: 200, sha256: body.logo.sha256 } },
      });
    });

    it('refuses an SVG, a file that is no picture, a file over 1 MB and a long name, naming the field', async () => {
      const cases: [Record<string, string>, Buffer | undefined, string, number, string, RegExp][] = [
        [{ name: 'X' }, SVG, 'logo.png', 415, 'logo', /SVG files are not accepted/],
        [{ name: 'X' }, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.png', 415, 'logo', /SVG/],
        [{ name: 'X' }, Buffer.from('%PDF-1.7 not a picture'), 'logo.jpg', 415, 'logo', /PNG, JPEG or WebP/],
        [{ name: 'X' }, Buffer.alloc(1024 * 1024 + 1, 1), 'logo.png', 413, 'logo', /1 MB or smaller/],
        [{ name: 'x'.repeat(121) }, undefined, '', 400, 'body.name', /120 characters/],
      ];
      for (const [fields, file, name, status, field, message] of cases) {
        const res = await put(admin, fields, file, name);
        expect(res.statusCode, res.body).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json().errors[0]).toMatchObject({ field, message: expect.stringMatching(message) });
      }
      // Nothing refused was kept: the logo is still the one saved before.
      expect((await t.app.inject({ url: '/api/branding', headers: admin.headers })).json()).toMatchObject({
        name: 'Audit Commission',
        logo: { width: 300, height: 200 },
      });
    });
  });

  describe('the page', () => {
    const post = async (user: TestUser, fields: Record<string, string>, file?: FormFile) => {
      const form = await t.app.inject({ url: '/admin/branding', headers: user.headers });
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const { payload, headers } = multipartBody({ _csrf: token, ...fields }, file ? [file] : []);
      return t.app.inject({
        method: 'POST',
        url: '/admin/branding',
        headers: { ...user.headers, ...headers, cookie: cookiesFrom(form.headers['set-cookie']) },
        payload,
      });
    };

    it('is refused to anyone but an administrator', async () => {
      expect((await t.app.inject({ url: '/admin/branding', headers: inspector.headers })).statusCode).toBe(403);
    });

    it('shows a refused logo in the error summary with the name kept, and saves a good one', async () => {
      const refused = await post(
        admin,
        { name: 'Inspectorate of Services' },
        { field: 'logo', name: 'logo.svg', bytes: SVG },
      );
      expect(refused.statusCode).toBe(415);
      expect(refused.body).toContain('govuk-error-summary');
      expect(refused.body).toMatch(
        /<a href="#logo">The logo must be a PNG, JPEG or WebP picture: SVG files are not accepted<\/a>/,
      );
      expect(refused.body).toMatch(/id="name" name="name" type="text" value="Inspectorate of Services"/);

      const saved = await post(
        admin,
        { name: 'Inspectorate of Services' },
        { field: 'logo', name: 'logo.png', bytes: await smallPng() },
      );
      expect(saved.statusCode, saved.body).toBe(303);
      const page = await t.app.inject({ url: '/admin/branding?done=saved', headers: admin.headers });
      expect(page.body).toContain('The report branding has been saved.');
      expect(page.body).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="The logo now on reports">/);
      expect(page.body).toContain('120 × 40 pixels');
    });
  });

  it('puts the name and logo on the report page, in the DOCX (header and title page) and on every PDF page', async () => {
    const page = await t.app.inject({ url: `/assessments/${assessmentId}/report`, headers: inspector.headers });
    expect(page.body).toMatch(
      /<p class="kloe-report__brand"><img src="data:image\/png;base64,[^"]+" alt="Inspectorate of Services logo"><span>Inspectorate of Services<\/span><\/p>/,
    );

    const docx = await t.app.inject({
      url: `/api/assessments/${assessmentId}/report?format=docx`,
      headers: inspector.headers,
    });
    expect(docx.statusCode).toBe(200);
    const parts = Object.keys(unzipSync(new Uint8Array(docx.rawPayload)));
    expect(parts.some((p) => /^word\/media\/.+\.png$/.test(p))).toBe(true);
    const header = xmlText(await docxPart(docx.rawPayload, 'word/header1.xml'));
    expect(header).toContain('Inspectorate of Services · ');
    const document = await docxPart(docx.rawPayload, 'word/document.xml');
    expect(document).toMatch(/<pic:pic/);
    expect(xmlText(document)).toContain('Inspectorate of Services');

    const pdf = await t.app.inject({
      url: `/api/assessments/${assessmentId}/report?format=pdf`,
      headers: inspector.headers,
    });
    expect(pdf.statusCode).toBe(200);
    const pages = pdfText(pdf.rawPayload)
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) expect(text).toContain('Inspectorate of Services');
    // The logo: once on the title page and once in each page's header.
    expect(pdfImageCount(pdf.rawPayload)).toBeGreaterThanOrEqual(pages.length + 1);
  });

  it('removes the logo when asked, keeping the name', async () => {
    const res = await put(admin, { name: 'Inspectorate of Services', removeLogo: 'true' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Inspectorate of Services', logo: null });
  });
});
