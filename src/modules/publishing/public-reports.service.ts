/**
 * Public reports: a published inspection made public by its lead (or an administrator) is shown without
 * sign-in: its overall and key-question ratings, the executive summary, the lead inspector's name, the report
 * as accessible HTML and PDF (without the evidence or any other person's name), in an index searchable by
 * organisation and rating, and in the open ratings data. Withdrawing takes it down; its address then answers
 * 404 with the notice. Nothing unpublished is ever read here.
 */
import type { Database } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { loadAssessment, resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import { OVERALL, pinnedFramework } from '../assessments/index.js';
import { may, type AssessmentActor } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { findBranding, paragraphs } from '../reports/index.js';
import { plainDate } from '../../dates.js';
import type { PublicFormat, ReportsService } from '../reports/index.js';
import * as repo from './public-reports.repository.js';

export const publicReportNotFound = (id: string) =>
  notFound('public_report_not_found', `No public report with id "${id}"`);

/** A withdrawn report: its address answers 404 with the notice of why. */
export class PublicReportWithdrawn extends AppError {
  constructor(
    readonly report: repo.PublicListing,
    readonly notice: string,
  ) {
    super('public_report_withdrawn', 404, `This report was withdrawn: ${notice}`);
  }
}

const refused = (message: string) => new AppError('public_report_refused', 409, message, [{ field: 'form', message }]);

export function createPublicReportsService(deps: {
  db: Database;
  reports: Pick<ReportsService, 'publicFile' | 'publicAnchor'>;
  baseUrl: string;
}) {
  const { db } = deps;
  const publicPath = (id: string) => `/public/reports/${id}`;
  const publicUrl = (id: string) => `${deps.baseUrl.replace(/\/$/, '')}${publicPath(id)}`;

  /** The lead, or an administrator, of a published inspection; loaded for the change. */
  async function loadToManage(tx: Database, actor: AssessmentActor, id: string) {
    const loaded = await loadAssessment(tx, actor, id, { lock: 'update' });
    const admin = actor.kind === 'user' && actor.role === 'administrator';
    if (!admin && !may(actor, 'lead', loaded.assessment, loaded.teamRole)) {
      throw new AppError('forbidden', 403, 'Only the lead or an administrator may make a report public or withdraw it');
    }
    if (loaded.assessment.kind !== 'inspection') throw refused('Only inspection reports are made public');
    if (loaded.assessment.status !== 'published') throw refused('Only a published report can be made public');
    return loaded;
  }

  /** A report that is public now, or the reason it answers 404. */
  async function visible(id: string) {
    const row = await repo.findPublic(db, id);
    if (!row) throw publicReportNotFound(id);
    if (row.withdrawnAt) throw new PublicReportWithdrawn(row, row.withdrawalNotice ?? '');
    return row;
  }

  /** Ratings in words, by node ("4", "overall"), for some reports of one framework version at a time. */
  async function ratings(rows: repo.PublicListing[]) {
    const found = await repo.ratingsOf(
      db,
      rows.map((r) => r.id),
    );
    return Promise.all(
      rows.map(async (row) => {
        const doc = await pinnedFramework(db, row.frameworkVersionId);
        const label = (id: string | null) => doc.ratingScale.find((l) => l.id === id)?.label ?? 'Not rated';
        const mine = found.filter((r) => r.assessmentId === row.id);
        const ofNode = (ref: string) => mine.find((r) => r.nodeRef === ref)?.finalRating ?? null;
        return {
          row,
          overall: { id: ofNode(OVERALL), label: label(ofNode(OVERALL)) },
          keyQuestions: doc.keyQuestions
            .filter((kq) => mine.some((r) => r.nodeRef === kq.ref))
            .map((kq) => ({ ref: kq.ref, title: kq.title, id: ofNode(kq.ref), label: label(ofNode(kq.ref)) })),
          scale: doc.ratingScale.map(({ id, label }) => ({ id, label })),
        };
      }),
    );
  }

  return {
    publicPath,

    /** Whether the assessment's report is public, and whether the actor may change that. */
    async status(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const admin = actor.kind === 'user' && actor.role === 'administrator';
      const { assessment } = loaded;
      return {
        loaded,
        row: await repo.findRow(db, assessment.id),
        path: publicPath(assessment.id),
        mayManage:
          assessment.kind === 'inspection' &&
          assessment.status === 'published' &&
          (admin || may(actor, 'lead', assessment, loaded.teamRole)),
      };
    },

    async makePublic(actor: AssessmentActor, id: string) {
      return db.transaction(async (tx) => {
        await loadToManage(tx, actor, id);
        const before = await repo.findRow(tx, id);
        const row = await repo.makePublic(tx, id, actor.kind === 'user' ? actor.userId : null);
        await recordAudit(tx, {
          actor,
          action: 'public_report.made_public',
          entityType: 'assessment',
          entityId: id,
          before: before ? { withdrawnAt: before.withdrawnAt, notice: before.withdrawalNotice } : null,
          after: { public: true, path: publicPath(id) },
        });
        return row;
      });
    },

    async withdraw(actor: AssessmentActor, id: string, notice: string) {
      return db.transaction(async (tx) => {
        await loadToManage(tx, actor, id);
        const before = await repo.findRow(tx, id);
        if (!before || before.withdrawnAt) throw refused('This report is not public');
        const row = await repo.withdraw(tx, id, actor.kind === 'user' ? actor.userId : null, notice);
        await recordAudit(tx, {
          actor,
          action: 'public_report.withdrawn',
          entityType: 'assessment',
          entityId: id,
          before: { public: true },
          after: { public: false, notice },
          reason: notice,
        });
        return row;
      });
    },

    /** What a public report's page shows; 404 unless it is public now (a withdrawn one says why). */
    async page(id: string) {
      const row = await visible(id);
      const [[rated], lead, summary, branding, auditAnchor] = await Promise.all([
        ratings([row]),
        repo.leadName(db, id),
        repo.executiveSummaryText(db, id),
        findBranding(db),
        deps.reports.publicAnchor(id, publicUrl(id)),
      ]);
      const published = row.publishedAt ? plainDate(row.publishedAt) : '';
      return {
        ...rated!,
        leadInspector: lead ?? null,
        executiveSummary: paragraphs(summary),
        branding,
        // The same words as the report's own citation (report.model.ts), and the anchor its stored files print.
        citation: {
          url: publicUrl(id),
          text: `${branding.name ? `${branding.name}. ` : ''}${row.organisationName}: ${row.serviceName}. ${row.title}, revision ${row.revision}, published ${published}. ${publicUrl(id)}`,
          auditAnchor: auditAnchor ?? null,
        },
      };
    },

    /** The public reports, newest first, with their ratings and the scales to filter by. */
    async index(filter: { organisation?: string; rating?: string }) {
      return ratings(await repo.listPublic(db, filter));
    },

    /** One row per public report and rating (each key question, then overall): the open data. */
    async openData() {
      const rated = await ratings(await repo.listPublic(db));
      return rated.flatMap(({ row, keyQuestions, overall }) =>
        [
          ...keyQuestions.map((kq) => ({ ...kq, of: kq.ref, ofTitle: `Key question ${kq.ref}: ${kq.title}` })),
          { ...overall, of: OVERALL, ofTitle: 'Overall judgement' },
        ].map((r) => ({
          report_id: row.id,
          organisation_code: row.organisationCode,
          organisation_name: row.organisationName,
          service_name: row.serviceName,
          report_title: row.title,
          revision: row.revision,
          published_on: row.publishedAt?.toISOString().slice(0, 10) ?? '',
          framework: `${row.frameworkId}/${row.frameworkVersion}`,
          rating_of: r.of,
          rating_of_title: r.ofTitle,
          rating: r.id ?? '',
          rating_label: r.label,
          report_url: publicUrl(row.id),
        })),
      );
    },

    /** The public report's PDF or HTML; 404 unless it is public now. */
    async file(id: string, format: PublicFormat) {
      await visible(id);
      return deps.reports.publicFile(id, format, publicUrl(id));
    },
  };
}

export type PublicReportsService = ReturnType<typeof createPublicReportsService>;
