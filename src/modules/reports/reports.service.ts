/**
 * Reports of assessments: the report model, and the files made from it (HTML, DOCX, PDF, the
 * kloe-assessment/1 JSON and the CSV tables). A published assessment's file is stored the first time it
 * is made in each format and served again byte for byte; a draft's is made afresh on every request. The
 * DOCX and PDF of a newly published assessment are made by a background job (published-report-job.ts), so
 * the first download is usually served from storage too.
 * Whoever may see the assessment may have its report; anyone else is told it does not exist.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type nunjucks from 'nunjucks';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { loadAssessment, resolveAssessment, type AssessmentRef, type LoadedAssessment } from '../assessments/index.js';
import { anchorText, chainHeadToPublish, noteAnchorPublished } from '../audit/index.js';
import type { ChainAnchor } from '../audit/index.js';
import { exportAssessment } from '../assessments/index.js';
import type { AssessmentActor } from '../assessments/index.js';
import { listTeam } from '../assessments/index.js';
import { recommendationsRepository as recommendationsRepo } from '../assessments/index.js';
import { createWorkspaceService } from '../assessments/index.js';
import { findingsCsv, ratingsCsv } from './report-csv.js';
import { loadExtensions, type ReportSource } from './report-extensions.js';
import { renderReportDocument, renderReportFragment } from './report-html.js';
import type { PdfPrinter } from './report-pdf.js';
import { printFrame } from './report-print-frame.js';
import { buildReportModel, type ReportInput } from './report.model.js';
import { templateFillFailed, templateOnlyForDocx } from './report-templates.errors.js';
import { templateForAssessment } from './report-templates.service.js';
import { reportFiles } from './reports.tables.js';
import { templateData } from './template-data.js';
import { findExecutiveSummary } from './executive-summary.service.js';
import { findBranding } from './branding.service.js';
import type { TemplateRenderer } from './template-renderer.js';

export const REPORT_FORMATS = {
  html: { ext: 'html', contentType: 'text/html; charset=utf-8', text: 'Web page (HTML)' },
  docx: {
    ext: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    text: 'Word document (DOCX)',
  },
  pdf: { ext: 'pdf', contentType: 'application/pdf', text: 'Accessible PDF' },
  json: { ext: 'json', contentType: 'application/json', text: 'Whole assessment as data (kloe-assessment/1 JSON)' },
  'ratings.csv': { ext: 'ratings.csv', contentType: 'text/csv; charset=utf-8', text: 'Ratings table (CSV)' },
  'findings.csv': { ext: 'findings.csv', contentType: 'text/csv; charset=utf-8', text: 'Findings table (CSV)' },
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** The formats of a report made public: the accessible HTML and the PDF. */
export const PUBLIC_FORMATS = ['html', 'pdf'] as const;
export type PublicFormat = (typeof PUBLIC_FORMATS)[number];

/** Who reads a public report: the system on behalf of anyone; what it may show is decided by publicVariant. */
const PUBLIC_READER = { kind: 'system', label: 'public report' } as const;

/** Who renders a published report in the background (published-report-job.ts). */
const PUBLISHER = { kind: 'system', label: 'published report' } as const;

/** The formats rendered in the background when an assessment is published: the slow ones to make. */
export const RENDERED_ON_PUBLISHING = ['docx', 'pdf'] as const satisfies readonly ReportFormat[];

/**
 * What a public report leaves out: every person but the lead inspector, and the evidence (its titles and
 * sources may name people, and its files are never public). It cites its public address.
 */
export function publicVariant(input: ReportInput, publicUrl: string | undefined): ReportInput {
  return {
    ...input,
    team: input.team.filter((m) => m.role === 'lead'),
    extensions: { ...input.extensions, evidenceRefs: {}, evidence: [] },
    ...(publicUrl ? { citationUrl: publicUrl } : { citationUrl: undefined }),
  };
}
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormat[];

export interface ReportFile {
  bytes: Buffer;
  contentType: string;
  filename: string;
  sha256: string;
  /** True when this is the stored file of a published assessment. */
  stored: boolean;
}

export interface ReportsServiceDeps {
  db: Database;
  views: nunjucks.Environment;
  /** What other modules add (evidence, indicator charts); see report-extensions.ts. */
  sources: readonly ReportSource[];
  /** Prints PDFs (one browser per process, closed with the app). */
  printer: PdfPrinter;
  /** Fills custom templates off the event loop. */
  renderer: TemplateRenderer;
  /** kloe's public address (KLOE_BASE_URL): a published report cites its address under it. */
  baseUrl?: string;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A file name from the title: letters, digits and hyphens. */
export function reportFilename(title: string, revision: number, draft: boolean, ext: string): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-')
      .slice(0, 60) || 'assessment';
  return `${slug}${revision > 1 ? `-revision-${revision}` : ''}${draft ? '-draft' : ''}.${ext}`;
}

export function createReportsService(deps: ReportsServiceDeps) {
  const { db, views, sources, printer, renderer, baseUrl } = deps;
  const workspace = createWorkspaceService({ db });

  /** Everything a report is made from, of an assessment loaded for the actor. */
  async function gather(actor: AssessmentActor, loaded: LoadedAssessment): Promise<ReportInput> {
    const id = loaded.assessment.id;
    const [overview, team, recommendations, extensions, executiveSummary, branding] = await Promise.all([
      workspace.overview(actor, loaded),
      listTeam(db, id),
      recommendationsRepo.listRecommendations(db, id),
      loadExtensions(sources, id),
      findExecutiveSummary(db, id),
      findBranding(db),
    ]);
    return {
      assessment: overview.assessment,
      organisationName: loaded.organisationName,
      serviceName: loaded.serviceName,
      frameworkVersion: loaded.frameworkVersion,
      team,
      doc: overview.doc,
      kloes: overview.kloes,
      keyQuestions: overview.keyQuestions,
      overall: overview.overall,
      recommendations,
      extensions,
      generatedAt: new Date(),
      executiveSummary: executiveSummary?.text ?? null,
      branding,
      ...(baseUrl ? { citationUrl: `${baseUrl.replace(/\/$/, '')}/assessments/${id}/report` } : {}),
    };
  }

  async function make(
    actor: AssessmentActor,
    loaded: LoadedAssessment,
    input: ReportInput,
    format: ReportFormat,
  ): Promise<Buffer> {
    switch (format) {
      case 'html':
        return Buffer.from(renderReportDocument(views, buildReportModel(input)));
      case 'docx':
        // docx is a large module: loaded when a Word document is first asked for, not at start.
        return (await import('./report-docx.js')).renderDocx(buildReportModel(input));
      case 'pdf': {
        const report = buildReportModel(input);
        return printer.print(renderReportDocument(views, report), printFrame(report));
      }
      case 'json':
        return Buffer.from(`${JSON.stringify(await exportAssessment(db, actor, loaded), null, 2)}\n`);
      case 'ratings.csv':
        return Buffer.from(ratingsCsv(input));
      case 'findings.csv':
        return Buffer.from(findingsCsv(input));
    }
  }

  /** The report filled into a custom template; any failure is the template's, said as a 422. */
  async function fillTemplate(template: { name: string; bytes: Buffer }, input: ReportInput): Promise<Buffer> {
    try {
      return await renderer.fill(template.bytes, templateData(buildReportModel(input)));
    } catch (error) {
      // A busy server is not the template's fault: said as such (503), not as a template that cannot be filled.
      if (error instanceof AppError && error.status === 503) throw error;
      throw templateFillFailed(template.name, error instanceof Error ? error.message : String(error));
    }
  }

  // The files being made in this process, by assessment and key: a download while the background job (or
  // another download) makes the same file waits for it rather than render it again.
  const making = new Map<string, Promise<typeof reportFiles.$inferSelect>>();

  /**
   * The stored file under `key`, made (with the audit chain's head printed in it) and stored on first
   * request. Whichever of two makers (two nodes) stores first wins; the other is given the stored file, so
   * every download is the same bytes.
   */
  async function storedOrMade(
    id: string,
    revision: number,
    key: string,
    contentType: string,
    produce: (anchor: ChainAnchor | undefined) => Promise<Buffer>,
  ) {
    const row = await storedFile(id, key);
    if (row) return row;
    const name = `${id} ${key}`;
    let made = making.get(name);
    if (!made) {
      made = (async () => {
        // The published file prints the audit chain's head, and kloe notes that it published it: in the
        // transaction that keeps the file, and only when this maker's file is the one kept.
        const where = `the ${key} report of assessment ${id} (revision ${revision})`;
        const anchor = await chainHeadToPublish(db, where);
        const bytes = await produce(anchor);
        await db.transaction(async (tx) => {
          const kept = await tx
            .insert(reportFiles)
            .values({
              assessmentId: id,
              format: key,
              contentType,
              bytes,
              size: bytes.length,
              sha256: sha256(bytes),
              auditAnchor: anchor ? anchorText(anchor) : null,
            })
            .onConflictDoNothing()
            .returning({ format: reportFiles.format });
          if (kept.length > 0 && anchor) await noteAnchorPublished(tx, anchor);
        });
        return (await storedFile(id, key))!;
      })().finally(() => making.delete(name));
      making.set(name, made);
    }
    return made;
  }

  /** The anchor of a stored file (null when it has none), without its bytes; undefined when none is stored. */
  async function storedAnchor(id: string, format: string) {
    const [row] = await db
      .select({ auditAnchor: reportFiles.auditAnchor })
      .from(reportFiles)
      .where(and(eq(reportFiles.assessmentId, id), eq(reportFiles.format, format)));
    return row ? row.auditAnchor : undefined;
  }

  async function storedFile(id: string, format: string) {
    const [row] = await db
      .select()
      .from(reportFiles)
      .where(and(eq(reportFiles.assessmentId, id), eq(reportFiles.format, format)));
    return row;
  }

  /**
   * The public version of a published report (see publicVariant), stored like the others under
   * "public.html" and "public.pdf". The caller has checked that the report is public.
   */
  async function publicFile(id: string, format: PublicFormat, publicUrl: string | undefined): Promise<ReportFile> {
    const loaded = await loadAssessment(db, PUBLIC_READER, id);
    const { assessment } = loaded;
    if (assessment.status !== 'published') throw new Error(`assessment ${id} is not published`);
    const { ext, contentType } = REPORT_FORMATS[format];
    const filename = reportFilename(assessment.title, assessment.revision, false, ext);
    const row = await storedOrMade(id, assessment.revision, `public.${format}`, contentType, async (auditAnchor) =>
      make(
        PUBLIC_READER,
        loaded,
        { ...publicVariant(await gather(PUBLIC_READER, loaded), publicUrl), ...(auditAnchor ? { auditAnchor } : {}) },
        format,
      ),
    );
    return { bytes: row.bytes, contentType: row.contentType, filename, sha256: row.sha256, stored: true };
  }

  return {
    gather,

    async model(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      return buildReportModel(await gather(actor, await resolveAssessment(db, actor, assessmentRef)));
    },

    /**
     * The report as the report page shows it. A published report's is the stored HTML, made (with the audit
     * chain's head printed) on its first view, so the page never gathers and renders it again; a draft's
     * is rendered now.
     */
    async pageBody(actor: AssessmentActor, assessmentRef: AssessmentRef): Promise<{ html: string; draft: boolean }> {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const { assessment } = loaded;
      if (assessment.status !== 'published') {
        return { html: renderReportFragment(views, buildReportModel(await gather(actor, loaded))), draft: true };
      }
      const row = await storedOrMade(
        assessment.id,
        assessment.revision,
        'page.html',
        REPORT_FORMATS.html.contentType,
        async (auditAnchor) => {
          const input = { ...(await gather(actor, loaded)), ...(auditAnchor ? { auditAnchor } : {}) };
          return Buffer.from(renderReportFragment(views, buildReportModel(input)));
        },
      );
      return { html: row.bytes.toString('utf8'), draft: false };
    },

    /**
     * The report in one format, or filled into a custom DOCX template (`template`: its id, which must be
     * shared or the assessment's organisation's). Published: the stored file, made and stored on first
     * request (two first requests at once both get the one that was stored first), kept apart per
     * template. Draft: made now.
     */
    async file(
      actor: AssessmentActor,
      assessmentRef: AssessmentRef,
      format: ReportFormat,
      options: { template?: string } = {},
    ): Promise<ReportFile> {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const { assessment } = loaded;
      if (options.template !== undefined && format !== 'docx') throw templateOnlyForDocx();
      const template =
        options.template === undefined
          ? undefined
          : await templateForAssessment(db, assessment.organisationId, options.template);
      const draft = assessment.status !== 'published';
      const { ext, contentType } = REPORT_FORMATS[format];
      const filename = reportFilename(assessment.title, assessment.revision, draft, ext);
      const produce = async (auditAnchor?: ChainAnchor) => {
        const input = { ...(await gather(actor, loaded)), ...(auditAnchor ? { auditAnchor } : {}) };
        return template ? fillTemplate(template, input) : make(actor, loaded, input, format);
      };
      if (draft) {
        const bytes = await produce();
        return { bytes, contentType, filename, sha256: sha256(bytes), stored: false };
      }
      const key = template ? `template:${template.id}` : format;
      const row = await storedOrMade(assessment.id, assessment.revision, key, contentType, produce);
      return { bytes: row.bytes, contentType: row.contentType, filename, sha256: row.sha256, stored: true };
    },

    publicFile,

    /**
     * Renders and stores a published assessment's DOCX and PDF (RENDERED_ON_PUBLISHING) that are not stored
     * yet, so their first download is served from storage: the job added when the assessment is published.
     * Made as any download makes them (a published report is the same whoever reads it). Nothing for an
     * assessment that is gone or not published.
     */
    async renderPublished(id: string): Promise<string[]> {
      const loaded = await loadAssessment(db, PUBLISHER, id).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) return undefined;
        throw error;
      });
      if (!loaded || loaded.assessment.status !== 'published') return [];
      const rendered: string[] = [];
      for (const format of RENDERED_ON_PUBLISHING) {
        if (await storedFile(id, format)) continue;
        await storedOrMade(id, loaded.assessment.revision, format, REPORT_FORMATS[format].contentType, async (anchor) =>
          make(
            PUBLISHER,
            loaded,
            { ...(await gather(PUBLISHER, loaded)), ...(anchor ? { auditAnchor: anchor } : {}) },
            format,
          ),
        );
        rendered.push(format);
      }
      return rendered;
    },

    /**
     * The audit chain's head printed in the public report's stored HTML (made now if it was not yet), for
     * the public page to show beside the citation; undefined for a file stored before anchors were kept.
     */
    async publicAnchor(id: string, publicUrl: string | undefined): Promise<string | undefined> {
      const existing = await storedAnchor(id, 'public.html');
      if (existing !== undefined) return existing ?? undefined;
      await publicFile(id, 'html', publicUrl);
      return (await storedAnchor(id, 'public.html')) ?? undefined;
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
