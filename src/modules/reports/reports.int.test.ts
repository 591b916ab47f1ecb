import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createViewEnvironment } from '../../web/nunjucks.js';
import { CsvScanner } from '../indicators/csv-records.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createWorkspaceService } from '../assessments/workspace.service.js';
import { reportFiles } from './reports.tables.js';
import { createPdfPrinter } from './report-pdf.js';
import { createTemplateRenderer } from './template-renderer.js';
import { createReportsService, type ReportsService } from './reports.service.js';
import { createJudgedAssessment, fixtureExtensions, fixtureSource } from './testing/report-fixtures.js';
import { docxEntries, docxPart, pdfFirstPagePng, pdfInfo, pdfText, xmlText } from './testing/files.js';
import { J2_KLOE_REFS } from '../../testing/kloe-refs.js';
import { TEST_CHROMIUM } from '../../testing/test-chromium.js';

const KLOES = J2_KLOE_REFS;

/** The records of a CSV file as a spreadsheet reads them (RFC 4180). */
function read(csv: string): string[][] {
  const scanner = new CsvScanner(',');
  scanner.push(csv.replace(/^\uFEFF/, ''), true);
  return scanner.next(100_000).map((record) => record.fields);
}
const RECOMMENDATIONS = [
  'Benchmark repair costs against similar landlords every year',
  'Publish repair times to tenants monthly',
];

describeEachDatabase('reports', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let outsider: TestUser;
  let id: string;
  let version: number;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    outsider = await createTestUser(db, 'inspector', { name: 'Otto Outside' });
    ({ id, version } = await createJudgedAssessment(db, lead.actor));
  });

  const download = (user: TestUser, format: string) =>
    t.app.inject({ url: `/api/assessments/${id}/report?format=${format}`, headers: user.headers });

  it('shows the report page with every KLOE, its rating, the summary in words and the recommendations', async () => {
    const res = await t.app.inject({ url: `/assessments/${id}/report`, headers: lead.headers });
    expect(res.statusCode).toBe(200);
    for (const ref of KLOES) expect(res.body).toContain(`id="kloe-${ref.replaceAll('.', '-')}"`);
    expect(res.body).toContain('The service has promising prospects for improvement.');
    expect(res.body).toContain('Draft: this report is not published');
    for (const text of RECOMMENDATIONS) expect(res.body).toContain(text);
    expect(res.body).toContain(`href="/assessments/${id}/report.docx"`);
    expect(res.body).not.toContain('Appendix: evidence'); // no evidence source is wired in yet
  });

  it('refuses the report of an assessment the person may not see, in every form', async () => {
    expect((await t.app.inject({ url: `/assessments/${id}/report`, headers: outsider.headers })).statusCode).toBe(404);
    for (const format of ['docx', 'pdf', 'json', 'ratings.csv']) {
      expect((await download(outsider, format)).statusCode).toBe(404);
    }
    expect((await t.app.inject({ url: `/assessments/${id}/report.html`, headers: outsider.headers })).statusCode).toBe(
      404,
    );
  });

  it('refuses an unknown format, naming the formats', async () => {
    const res = await download(lead, 'odt');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('docx');
  });

  it('makes a DOCX with Word headings for every KLOE, its rating, the recommendations and a draft banner', async () => {
    const res = await download(lead, 'docx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('housing-repairs-inspection-draft.docx');
    const xml = docxPart(res.rawPayload, 'word/document.xml');
    const text = xmlText(xml);
    for (const ref of KLOES) expect(text).toMatch(new RegExp(`KLOE ${ref.replaceAll('.', '\\.')}: `));
    expect(xml.match(/<w:pStyle w:val="Heading2"\/>/g)?.length).toBeGreaterThanOrEqual(15);
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:tblHeader');
    expect(text.match(/Rating: Promising/g)).toHaveLength(15);
    for (const rec of RECOMMENDATIONS) expect(text).toContain(rec);
    expect(xmlText(docxPart(res.rawPayload, 'word/header1.xml'))).toContain('DRAFT');
  });

  it('makes CSV tables of ratings and findings, and the kloe-assessment/1 JSON with the recommendations', async () => {
    const ratings = (await download(lead, 'ratings.csv')).body.replace(/^\uFEFF/, '').split('\r\n');
    expect(ratings[0]).toBe(
      'level,ref,title,statements_judged,suggested_rating,final_rating,rationale,strengths,areas_for_improvement',
    );
    expect(ratings.filter((line) => line.startsWith('kloe,'))).toHaveLength(15);
    expect(ratings.some((line) => line.startsWith('overall,overall,Overall judgement,,'))).toBe(true);
    const findings = (await download(lead, 'findings.csv')).body;
    expect(findings).toContain('4.1,4.1-P1,promising,');
    const json = (await download(lead, 'json')).json();
    expect(json.format).toBe('kloe-assessment/1');
    expect(json.recommendations.map((r: { text: string }) => r.text)).toEqual(RECOMMENDATIONS);
  });

  it('quotes multi-line cells and neutralises formulas in both CSV tables, one row per KLOE and statement', async () => {
    const { db } = t.database;
    const other = await createJudgedAssessment(db, lead.actor, 'CSV quoting inspection');
    const workspace = createWorkspaceService({ db });
    const kloe = (await workspace.overview(lead.actor, other.id)).kloes.find((k) => k.leaf.kloe.ref === '4.1')!;
    const note = '@SUM(A1:A9)\nsecond line of the note';
    await workspace.saveKloe(lead.actor, other.id, '4.1', {
      version: kloe.judgement.version,
      findings: [{ statementRef: kloe.findings[0]!.statementRef, outcome: 'met', note }],
      strengths: ['Clear plans\nagreed with tenants', '=HYPERLINK("http://evil.example","Click")'],
      areasForImprovement: ['+1+1', '-costs\rabove average'],
    });
    const get = async (format: string) =>
      read(
        (await t.app.inject({ url: `/api/assessments/${other.id}/report?format=${format}`, headers: lead.headers }))
          .body,
      );
    const ratings = await get('ratings.csv');
    expect(ratings).toHaveLength(1 + 15 + 3 + 1);
    const row41 = ratings.find((r) => r[1] === '4.1')!;
    expect(row41[7]).toBe('Clear plans\nagreed with tenants\n=HYPERLINK("http://evil.example","Click")');
    expect(row41[8]).toBe("'+1+1\n-costs\rabove average");
    const findings = await get('findings.csv');
    const statements = (await workspace.overview(lead.actor, other.id)).kloes.reduce((n, k) => n + k.total, 0);
    expect(findings).toHaveLength(1 + statements);
    expect(findings.find((r) => r[1] === kloe.findings[0]!.statementRef)![5]).toBe(`'${note}`);
  });

  it('makes a tagged PDF with a title, every KLOE, its rating and the recommendations', async () => {
    const res = await download(lead, 'pdf');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const info = pdfInfo(res.rawPayload);
    expect(info.Tagged).toBe('yes');
    expect(info.Title).toBe('Draft: Housing repairs inspection');
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    for (const ref of KLOES) expect(text).toContain(`KLOE ${ref}:`);
    expect(text.match(/Rating: Promising/g)).toHaveLength(15);
    for (const rec of RECOMMENDATIONS) expect(text).toContain(rec);
    // The structure tree is what "tagged" means: headings and figures a screen reader can move through.
    const raw = res.rawPayload.toString('latin1');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toMatch(/\/Lang \((en-GB|en)\)/);
    const png = pdfFirstPagePng(res.rawPayload, path.resolve('test-results', `report-pdf-page-1-${driver}.png`));
    expect(fs.statSync(png).size).toBeGreaterThan(5_000);
  });

  describe('evidence and indicator charts given by a report source', () => {
    let reports: ReportsService;
    const extensions = fixtureExtensions(KLOES, { evidence: 12, charts: 2 });
    beforeAll(() => {
      reports = createReportsService({
        db: t.database.db,
        views: createViewEnvironment(),
        sources: [fixtureSource(extensions)],
        printer: createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 4 }),
        renderer: createTemplateRenderer(),
      });
    });

    it('puts them in the HTML: references under each KLOE, the charts with their text and table, the appendix', async () => {
      const html = (await reports.file(lead.actor, id, 'html')).bytes.toString('utf8');
      expect(html).toContain('<h2 id="evidence" class="govuk-heading-l">Appendix: evidence</h2>');
      expect(html).toContain(
        '<a class="govuk-link" href="#evidence-e1">Evidence item 1: document record</a> (supports)',
      );
      expect(html).toContain('id="evidence-e12"');
      expect(html).toMatch(
        /<div role="img" aria-label="Bar chart: repairs completed on time rose from \d+% in 2023\/24/,
      );
      expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
      expect(html).toContain('Indicator BV201 by year');
      expect(html).toContain('<a class="govuk-link" href="#indicators">Performance indicators</a>');
    });

    it('puts them in the DOCX: the appendix table, the charts as pictures with alt text, their text and data table, links to the evidence', async () => {
      const bytes = (await reports.file(lead.actor, id, 'docx')).bytes;
      const xml = docxPart(bytes, 'word/document.xml');
      const text = xmlText(xml);
      // Each of the 2 charts as its SVG with a PNG for versions of Word without SVG.
      const media = docxEntries(bytes).filter((name) => name.startsWith('word/media/'));
      expect(media.filter((name) => name.endsWith('.svg'))).toHaveLength(2);
      expect(media.filter((name) => name.endsWith('.png'))).toHaveLength(2);
      const chart = extensions.charts[0]!;
      expect(
        docxPart(
          bytes,
          media.find((name) => name.endsWith('.svg'))!,
        ),
      ).toContain('<svg');
      expect(xml).toMatch(/<w:drawing>/);
      expect(xml).toContain(`descr="${chart.textAlternative}"`);
      expect(xml).toContain(`title="${chart.title}"`);
      expect(text).toContain('Appendix: evidence');
      expect(text).toContain('Evidence item 12: performance data record');
      expect(text).toContain('Indicator BV202: repairs completed on time');
      expect(text).toContain('Indicator BV202 by year');
      expect(xml).toContain('w:anchor="b_evidence_e1"');
    });
  });

  it('stores a published report on first download and serves the same bytes again; drafts are not stored', async () => {
    const { db } = t.database;
    expect(await db.select().from(reportFiles)).toHaveLength(0);
    await createAssessmentsService({ db }).moveStatus(lead.actor, id, { status: 'published', version });
    const first = await download(lead, 'docx');
    const second = await download(lead, 'docx');
    expect(first.headers['x-kloe-report']).toBe('stored');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(first.headers['content-disposition']).toContain('housing-repairs-inspection.docx');
    const page = await t.app.inject({ url: `/assessments/${id}/report`, headers: lead.headers });
    expect(page.body).not.toContain('Draft: this report is not published');
    // The page was stored on its first view too (served from what was stored from now on).
    expect((await db.select().from(reportFiles)).map((r) => r.format).sort()).toEqual(['docx', 'page.html']);
  });

  it('says which package to install when there is no chromium, instead of crashing', async () => {
    const reports = createReportsService({
      db: t.database.db,
      views: createViewEnvironment(),
      sources: [],
      printer: createPdfPrinter({ chromiumPath: '/nonexistent/chromium', queueSize: 4 }),
      renderer: createTemplateRenderer(),
    });
    // A published report is served stored, so ask for a format not stored yet.
    await expect(reports.file(lead.actor, id, 'pdf')).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('apt-get install chromium'),
    });
  });
});
