/**
 * A published report's permanent citation (issue 23 item 9): its address under KLOE_BASE_URL (never the
 * request's Host), its date and revision, and the audit chain's head that anchors it, in every format: the
 * report page, the HTML, DOCX and PDF downloads, and the public page with its public report.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { plainDate } from '../../dates.js';
import { docxPart, pdfText, xmlText } from './testing/files.js';
import { createJudgedAssessment } from './testing/report-fixtures.js';

const BASE = 'https://reports.inspectorate.example';
/** What a request could claim to be addressed to; the citation must not take it. */
const HOSTILE = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
const squash = (text: string) => text.replace(/\s+/g, ' ');

describeEachDatabase('the citation of a published report', (driver) => {
  const t = useTestApp(driver, { baseUrl: BASE });
  let lead: TestUser;
  let id: string;
  let cite: string;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    const judged = await createJudgedAssessment(db, lead.actor, 'Repairs inspection 2026');
    id = judged.id;
    await createAssessmentsService({ db }).moveStatus(lead.actor, id, { status: 'published', version: judged.version });
    cite = `Ashcombe Report Council: Housing repairs. Repairs inspection 2026, revision 1, published ${plainDate(new Date())}.`;
  });

  const get = (url: string, headers: Record<string, string> = lead.headers) =>
    t.app.inject({ url, headers: { ...headers, ...HOSTILE } });
  const anchorOf = (text: string) => /Audit trail anchor\s*(\d+:[0-9a-f]{64})/.exec(text)?.[1];

  it('is on the report page with the anchor of its stored page, the same on every view', async () => {
    const page = await get(`/assessments/${id}/report`);
    expect(page.statusCode).toBe(200);
    const text = squash(page.body.replace(/<[^>]+>/g, ' '));
    expect(text).toContain(`Cite as: ${cite} ${BASE}/assessments/${id}/report`);
    expect(page.body).not.toContain('evil.example');
    const anchor = anchorOf(text);
    expect(anchor).toMatch(/^\d+:[0-9a-f]{64}$/);
    const again = await get(`/assessments/${id}/report`);
    expect(anchorOf(squash(again.body.replace(/<[^>]+>/g, ' ')))).toBe(anchor);
  });

  it('is in the HTML, DOCX and PDF downloads, each with its anchor', async () => {
    const url = `${BASE}/assessments/${id}/report`;
    const html = await get(`/api/assessments/${id}/report?format=html`);
    const htmlText = squash(html.body.replace(/<[^>]+>/g, ' '));
    expect(htmlText).toContain(`Cite as: ${cite} ${url}`);
    expect(anchorOf(htmlText)).toMatch(/^\d+:[0-9a-f]{64}$/);

    const docx = await get(`/api/assessments/${id}/report?format=docx`);
    const docxText = xmlText(await docxPart(docx.rawPayload, 'word/document.xml'));
    expect(docxText).toContain(`Cite as: ${cite} ${url}`);
    expect(anchorOf(docxText)).toMatch(/^\d+:[0-9a-f]{64}$/);

    const pdf = await get(`/api/assessments/${id}/report?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    const pdfWords = squash(pdfText(pdf.rawPayload));
    expect(pdfWords).toContain('Cite as:');
    // A long address may be cut at the end of a printed line: compare without spaces.
    expect(pdfWords.replace(/ /g, '')).toContain(`${cite}${url}`.replace(/ /g, ''));
    expect(anchorOf(pdfWords.replace(/(\d+:[0-9a-f]+) ([0-9a-f]+)/g, '$1$2'))).toMatch(/^\d+:[0-9a-f]{64}$/);
    for (const body of [html.body, docxText, pdfWords]) expect(body).not.toContain('evil.example');
  });

  it('is on the public page with its public address and the anchor its public report prints', async () => {
    const made = await t.app.inject({ method: 'PUT', url: `/api/assessments/${id}/public`, headers: lead.headers });
    expect(made.statusCode, made.body).toBe(200);
    const page = await get(`/public/reports/${id}`, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    const publicUrl = `${BASE}/public/reports/${id}`;
    expect(squash(page.body)).toContain(`${cite} ${publicUrl}`);
    const shown = /Audit trail anchor: <code[^>]*>(\d+:[0-9a-f]{64})<\/code>/.exec(page.body)?.[1];
    expect(shown).toBeDefined();
    const html = await get(`/public/reports/${id}/report.html`, { accept: 'text/html' });
    const htmlText = squash(html.body.replace(/<[^>]+>/g, ' '));
    expect(htmlText).toContain(`Cite as: ${cite} ${publicUrl}`);
    expect(anchorOf(htmlText)).toBe(shown);
    expect(page.body + html.body).not.toContain('evil.example');
  });
});
