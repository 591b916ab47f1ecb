/**
 * The parts of the kloe-assessment format that belong to the report around the judgement: the lead's
 * executive summary, and the factual accuracy check with the organisation (its deadline, the comments
 * section by section and the team's answers). Both are optional: documents made before them still import.
 */
import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { ACCURACY_RESPONSES, accuracyChecks, accuracyComments } from '../../db/schema.js';
import { reportSummaries } from '../../db/schema.js';

const instant = z.iso.datetime({ offset: true });
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const executiveSummaryExportSchema = z.object({
  /** Paragraphs separated by blank lines. */
  text: z.string().min(1),
  updatedAt: instant,
  updatedByEmail: email.nullable(),
});

export const factualAccuracyExportSchema = z.object({
  /** The last day the organisation could comment. */
  deadline: z.iso.date(),
  message: z.string().nullable(),
  sentAt: instant,
  sentByEmail: email.nullable(),
  /** Why the lead published before the deadline or with comments unanswered. */
  publishedDespite: z.string().nullable(),
  /** Oldest first. */
  comments: z.array(
    z.object({
      /** "summary", a key question ref or a KLOE ref. */
      section: z.string().regex(/^(summary|\d+(\.\d+)*)$/, 'must be "summary", a key question or a KLOE ref'),
      body: z.string().min(1),
      authorEmail: email,
      createdAt: instant,
      response: z.enum(ACCURACY_RESPONSES).nullable(),
      responseText: z.string().nullable(),
      answeredByEmail: email.nullable(),
      answeredAt: instant.nullable(),
    }),
  ),
});

type ExecutiveSummaryExport = z.infer<typeof executiveSummaryExportSchema>;
type FactualAccuracyExport = z.infer<typeof factualAccuracyExportSchema>;

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export async function exportReportParts(db: Database, assessmentId: string) {
  const author = alias(users, 'author');
  const answerer = alias(users, 'answerer');
  const [[summary], [check], comments] = await Promise.all([
    db
      .select({ row: reportSummaries, email: users.email })
      .from(reportSummaries)
      .leftJoin(users, eq(users.id, reportSummaries.updatedBy))
      .where(eq(reportSummaries.assessmentId, assessmentId)),
    db
      .select({ row: accuracyChecks, email: users.email })
      .from(accuracyChecks)
      .leftJoin(users, eq(users.id, accuracyChecks.sentBy))
      .where(eq(accuracyChecks.assessmentId, assessmentId)),
    db
      .select({ row: accuracyComments, authorEmail: author.email, answeredByEmail: answerer.email })
      .from(accuracyComments)
      .innerJoin(author, eq(author.id, accuracyComments.authorId))
      .leftJoin(answerer, eq(answerer.id, accuracyComments.answeredBy))
      .where(eq(accuracyComments.assessmentId, assessmentId))
      .orderBy(asc(accuracyComments.createdAt), asc(accuracyComments.section), asc(accuracyComments.body)),
  ]);
  return {
    executiveSummary: summary
      ? { text: summary.row.text, updatedAt: summary.row.updatedAt.toISOString(), updatedByEmail: summary.email }
      : null,
    factualAccuracy: check
      ? {
          deadline: check.row.deadline,
          message: check.row.message,
          sentAt: check.row.sentAt.toISOString(),
          sentByEmail: check.email,
          publishedDespite: check.row.publishedDespite,
          comments: comments.map(({ row: c, authorEmail, answeredByEmail }) => ({
            section: c.section,
            body: c.body,
            authorEmail,
            createdAt: c.createdAt.toISOString(),
            response: c.response,
            responseText: c.responseText,
            answeredByEmail,
            answeredAt: isoOrNull(c.answeredAt),
          })),
        }
      : null,
  };
}

/** The people these parts name, for the import to find by email. */
export function reportPartPeople(doc: {
  executiveSummary?: ExecutiveSummaryExport | null;
  factualAccuracy?: FactualAccuracyExport | null;
}): { field: string; email: string | null }[] {
  const check = doc.factualAccuracy;
  return [
    { field: 'executiveSummary.updatedByEmail', email: doc.executiveSummary?.updatedByEmail ?? null },
    { field: 'factualAccuracy.sentByEmail', email: check?.sentByEmail ?? null },
    ...(check?.comments ?? []).flatMap((c, i) => [
      { field: `factualAccuracy.comments.${i}.authorEmail`, email: c.authorEmail },
      { field: `factualAccuracy.comments.${i}.answeredByEmail`, email: c.answeredByEmail },
    ]),
  ];
}

export async function importReportParts(
  tx: Database,
  assessmentId: string,
  doc: { executiveSummary?: ExecutiveSummaryExport | null; factualAccuracy?: FactualAccuracyExport | null },
  userId: (email: string | null) => string | null,
): Promise<void> {
  const summary = doc.executiveSummary;
  if (summary) {
    await tx.insert(reportSummaries).values({
      assessmentId,
      text: summary.text,
      updatedBy: userId(summary.updatedByEmail),
      updatedAt: new Date(summary.updatedAt),
    });
  }
  const check = doc.factualAccuracy;
  if (!check) return;
  await tx.insert(accuracyChecks).values({
    assessmentId,
    deadline: check.deadline,
    message: check.message,
    sentBy: userId(check.sentByEmail),
    sentAt: new Date(check.sentAt),
    publishedDespite: check.publishedDespite,
  });
  if (check.comments.length === 0) return;
  await tx.insert(accuracyComments).values(
    check.comments.map((c) => ({
      assessmentId,
      section: c.section,
      body: c.body,
      authorId: userId(c.authorEmail)!,
      createdAt: new Date(c.createdAt),
      response: c.response,
      responseText: c.responseText,
      answeredBy: userId(c.answeredByEmail),
      answeredAt: c.answeredAt ? new Date(c.answeredAt) : null,
    })),
  );
}
