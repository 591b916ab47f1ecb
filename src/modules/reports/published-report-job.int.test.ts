/**
 * The published report rendered by a job: publishing adds the job in its transaction, a worker renders and
 * stores the DOCX and the PDF, and every download (also one made before the job ran) is the one stored file.
 */
import { createHash } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createViewEnvironment } from '../../web/nunjucks.js';
import { auditAnchors } from '../audit/audit.tables.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createJobQueue } from '../jobs/index.js';
import type { PdfPrinter } from './report-pdf.js';
import { createReportsService } from './reports.service.js';
import { createTemplateRenderer } from './template-renderer.js';
import { RENDER_PUBLISHED_JOB } from './published-report-job.js';
import { reportFiles } from './reports.tables.js';
import { createJudgedAssessment } from './testing/report-fixtures.js';

describeEachDatabase('published report rendered by a job', (driver) => {
  const t = useTestApp(driver, {}, { renderPublishedReports: true });
  let lead: TestUser;

  beforeAll(async () => {
    lead = await createTestUser(t.database.db, 'inspector', { name: 'Lena Lead' });
  });

  const publish = async (id: string, version: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${id}/status`,
      headers: lead.headers,
      payload: { status: 'published', version },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const stored = (id: string) =>
    t.database.db
      .select({ format: reportFiles.format, sha256: reportFiles.sha256 })
      .from(reportFiles)
      .where(eq(reportFiles.assessmentId, id))
      .orderBy(reportFiles.format);
  const jobsOf = async (id: string) =>
    (
      (await t.database.db.execute(
        sql`select state from pgboss.job where name = ${RENDER_PUBLISHED_JOB} and data->>'assessmentId' = ${id}`,
      )) as unknown as { rows: { state: string }[] }
    ).rows.map((r) => r.state);
  const settled = async () => {
    const watcher = createJobQueue({ database: t.database, work: false });
    try {
      await watcher.settled([RENDER_PUBLISHED_JOB], 120_000);
    } finally {
      await watcher.stop();
    }
  };
  const download = (id: string, format: string) =>
    t.app.inject({ url: `/api/assessments/${id}/report?format=${format}`, headers: lead.headers });
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('renders and stores the DOCX and the PDF once published, and serves them from storage', async () => {
    const { id, version } = await createJudgedAssessment(t.database.db, lead.actor, 'Rendered by a job');
    expect(await jobsOf(id)).toEqual([]);
    await publish(id, version);
    await settled();
    expect(await jobsOf(id)).toEqual(['completed']);
    const files = await stored(id);
    expect(files.map((f) => f.format)).toEqual(['docx', 'pdf']);
    for (const format of ['docx', 'pdf']) {
      const first = await download(id, format);
      expect(first.statusCode).toBe(200);
      expect(first.headers['x-kloe-report']).toBe('stored');
      expect(sha256(first.rawPayload)).toBe(files.find((f) => f.format === format)!.sha256);
      expect((await download(id, format)).rawPayload.equals(first.rawPayload)).toBe(true);
    }
    expect((await stored(id)).length).toBe(2);
  });

  it('serves a download made before the job the same bytes the job leaves stored, with one copy kept', async () => {
    const { id, version } = await createJudgedAssessment(t.database.db, lead.actor, 'Downloaded at once');
    await publish(id, version);
    // Straight after publishing: the job has most likely not run; whichever makes the DOCX first stores it.
    const early = await download(id, 'docx');
    expect(early.statusCode).toBe(200);
    await settled();
    const files = await t.database.db
      .select({ sha256: reportFiles.sha256 })
      .from(reportFiles)
      .where(and(eq(reportFiles.assessmentId, id), eq(reportFiles.format, 'docx')));
    expect(files).toEqual([{ sha256: sha256(early.rawPayload) }]);
    expect((await download(id, 'docx')).rawPayload.equals(early.rawPayload)).toBe(true);
    expect((await stored(id)).map((f) => f.format)).toEqual(['docx', 'pdf']);
  });

  /** A reports service as another process or node has one, printing with a stand-in printer. */
  const reportsPrintingWith = (print: () => Promise<Buffer>) =>
    createReportsService({
      db: t.database.db,
      views: createViewEnvironment(),
      sources: [],
      printer: { print, async close() {} } as unknown as PdfPrinter,
      renderer: createTemplateRenderer(),
    });
  const published = async (title: string) => {
    const { id, version } = await createJudgedAssessment(t.database.db, lead.actor, title);
    await createAssessmentsService({ db: t.database.db }).moveStatus(lead.actor, id, { status: 'published', version });
    return id;
  };
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('makes a file once in a process when the job and a download ask for it together', async () => {
    const id = await published('Asked for twice');
    let prints = 0;
    const reports = reportsPrintingWith(async () => {
      prints += 1;
      await delay(200);
      return Buffer.from('%PDF-1.7 printed once');
    });
    const [rendered, downloaded] = await Promise.all([
      reports.renderPublished(id),
      reports.file(lead.actor, id, 'pdf'),
      reports.file(lead.actor, id, 'pdf'),
    ]);
    expect(prints).toBe(1);
    // The job makes the DOCX; the PDF it makes, joins, or finds already stored by a download that got there
    // first (which of the three depends on timing): whichever, it was printed once.
    expect(rendered[0]).toBe('docx');
    expect(['docx', 'pdf']).toEqual(expect.arrayContaining(rendered));
    expect(downloaded.bytes.toString()).toBe('%PDF-1.7 printed once');
    // Published once: asked again, nothing is made.
    expect(await reports.renderPublished(id)).toEqual([]);
  });

  it('keeps one file and notes one anchor, the one the file prints, when two nodes make it at once', async () => {
    const id = await published('Made on two nodes');
    const node = (name: string) =>
      reportsPrintingWith(async () => {
        await delay(200);
        return Buffer.from(`%PDF-1.7 printed on ${name}`);
      });
    const [onA, onB] = await Promise.all([
      node('A').file(lead.actor, id, 'pdf'),
      node('B').file(lead.actor, id, 'pdf'),
    ]);
    expect(onA.bytes.equals(onB.bytes)).toBe(true);
    const notes = await t.database.db
      .select({ entryId: auditAnchors.entryId, hash: auditAnchors.hash })
      .from(auditAnchors)
      .where(like(auditAnchors.publishedIn, `the pdf report of assessment ${id} %`));
    expect(notes).toHaveLength(1);
    const [kept] = await t.database.db
      .select({ auditAnchor: reportFiles.auditAnchor })
      .from(reportFiles)
      .where(and(eq(reportFiles.assessmentId, id), eq(reportFiles.format, 'pdf')));
    expect(kept!.auditAnchor).toBe(`${notes[0]!.entryId}:${notes[0]!.hash}`);
  });

  it('adds no job when publishing is refused', async () => {
    const { id, version } = await createJudgedAssessment(t.database.db, lead.actor, 'Stale version');
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/assessments/${id}/status`,
      headers: lead.headers,
      payload: { status: 'published', version: version + 5 },
    });
    expect(refused.statusCode).toBe(409);
    expect(await jobsOf(id)).toEqual([]);
  });
});
