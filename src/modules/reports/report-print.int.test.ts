/**
 * The demo inspection's report as it prints: a PDF of at most 15 pages with a running header and page
 * numbers on every page and no heading left alone at the foot of a page, and a DOCX with the same header,
 * page numbers in its footer and a contents field with page numbers. Checked with poppler-utils and unzip.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportSources } from '../../report-sources.js';
import { useTestApp } from '../../testing/test-app.js';
import { createViewEnvironment } from '../../web/nunjucks.js';
import { DEMO_INSPECTION } from '../assessments/assessments.demo.js';
import { assessments } from '../assessments/assessments.tables.js';
import type { AssessmentActor } from '../assessments/assessments.policy.js';
import { createPdfPrinter, type PdfPrinter } from './report-pdf.js';
import { createReportsService, type ReportsService } from './reports.service.js';
import { createTemplateRenderer } from './template-renderer.js';
import { docxPart, pdfInfo, pdfText, xmlText } from './testing/files.js';
import { eq } from 'drizzle-orm';
import { TEST_CHROMIUM } from '../../testing/test-chromium.js';

// Loading the demo takes a while on a busy machine.
vi.setConfig({ hookTimeout: 180_000 });

const system = { kind: 'system', label: 'report print test' } as AssessmentActor;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the demo inspection report as printed', () => {
  const t = useTestApp('pglite', {}, { demo: true });
  let printer: PdfPrinter;
  let reports: ReportsService;
  let id: string;

  beforeAll(async () => {
    const { db } = t.database;
    printer = createPdfPrinter({ chromiumPath: TEST_CHROMIUM, queueSize: 2 });
    reports = createReportsService({
      db,
      views: createViewEnvironment(),
      sources: reportSources(db),
      printer,
      renderer: createTemplateRenderer(),
    });
    const [demo] = await db
      .select({ id: assessments.id })
      .from(assessments)
      .where(eq(assessments.title, DEMO_INSPECTION));
    id = demo!.id;
  });
  afterAll(() => printer?.close());

  it('prints at most 15 pages, each with the running header and "Page N of M", no heading alone at a page foot', async () => {
    const [pdf, model] = await Promise.all([reports.file(system, id, 'pdf'), reports.model(system, id)]);
    const pages = Number(pdfInfo(pdf.bytes).Pages);
    expect(pages).toBeGreaterThan(3);
    expect(pages).toBeLessThanOrEqual(15);
    const texts = pdfText(pdf.bytes)
      .split('\f')
      .filter((page) => page.trim());
    expect(texts).toHaveLength(pages);
    const headings = [
      ...model.contents.map((c) => c.text),
      ...model.charts.map((c) => c.title),
      'Strengths',
      'Areas for improvement',
      'Evidence',
    ].map(squash);
    texts.forEach((page, i) => {
      const lines = page.split('\n').filter((line) => line.trim());
      expect(squash(lines[0]!)).toContain('Ashdown District Council · Housing repairs');
      expect(squash(lines[0]!)).toMatch(/Draft$/);
      expect(squash(lines.at(-1)!)).toMatch(new RegExp(`Page ${i + 1} of ${pages}$`));
      const body = squash(lines.slice(1, -1).join(' '));
      // Page 1 is the title page and the contents, whose lines are the headings' words.
      const orphan = i === 0 ? undefined : headings.find((h) => body.endsWith(h));
      expect(orphan, `page ${i + 1} ends with the heading "${orphan}"`).toBeUndefined();
    });
    // The watermark is a picture behind the text: it never breaks into the words.
    expect(texts.join(' ')).not.toMatch(/\bD\s+R\s+A\s+F\s+T\b/);
  });

  it('makes a DOCX with the running header, page numbers and a contents field Word fills in', async () => {
    const { bytes } = await reports.file(system, id, 'docx');
    const header = xmlText(docxPart(bytes, 'word/header1.xml'));
    expect(header).toContain('DRAFT');
    expect(header).toContain('Ashdown District Council · Housing repairs');
    const footer = docxPart(bytes, 'word/footer1.xml');
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/);
    const document = docxPart(bytes, 'word/document.xml');
    expect(document).toMatch(/<w:instrText[^>]*>\s*TOC [^<]*\\h/);
    // Written dirty, with Word told to update fields on opening: Word fills in the page numbers.
    expect(document).toMatch(/<w:fldChar w:fldCharType="begin" w:dirty="true"\/>/);
    expect(docxPart(bytes, 'word/settings.xml')).toMatch(/<w:updateFields(?: w:val="(?:true|1)")?\/>/);
    expect(xmlText(document)).toContain('Findings by KLOE');
  });
});
