/**
 * The assessment exchange format ("kloe-assessment/1"): one revision of one assessment with everything
 * needed to restore it in another installation — its details, the organisation, service and framework
 * version it is of, its team, findings, KLOE judgements, roll-ups, moderation challenges, recommendations,
 * evidence (items, links and files by SHA-256, with their bytes when asked: assessment-export.evidence.ts), the
 * executive summary and the factual accuracy check (assessment-export.report.ts).
 *
 * People, organisations and services are named the way they are known across installations (email
 * address, organisation code, service name), never by their database ids; the framework version is
 * named by id and version and checked by its content hash.
 *
 * The zod schema is the single source of truth: the TypeScript type, the API body and the published
 * JSON Schema (frameworks/kloe-assessment.schema.json, see assessment-export.json-schema.ts) derive from it.
 * Writing a document: assessment-export.ts; reading one back: assessment-import.ts.
 */
import { z } from 'zod';
import { invalidAssessmentInput } from './assessments.errors.js';
import { evidenceExportSchema } from './assessment-export.evidence.js';
import { executiveSummaryExportSchema, factualAccuracyExportSchema } from './assessment-export.report.js';
import { RECOMMENDATION_PRIORITIES } from './recommendations.tables.js';
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  CHALLENGE_STATUSES,
  FINDING_OUTCOMES,
  TEAM_ROLES,
} from './assessments.tables.js';

export const ASSESSMENT_FORMAT = 'kloe-assessment/1';

/** An instant as ISO 8601 (exports write UTC with milliseconds, e.g. 2026-03-14T09:30:00.000Z). */
const instant = z.iso.datetime({ offset: true });
/** A calendar date, e.g. 2026-03-14. */
const calendarDate = z.iso.date();
/** How a person is named across installations: their email address (compared without regard to case). */
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
const ref = z.string().regex(/^\d+(\.\d+)*$/, 'must look like 4, 5.1 or 5.2.4');
const text = z.string().min(1);

export const assessmentExportSchema = z.object({
  format: z.literal(ASSESSMENT_FORMAT),
  exportedAt: instant,
  assessment: z.object({
    id: z.uuid(),
    /** The id of the series' first revision; revisions of one assessment share it. */
    seriesId: z.uuid(),
    revision: z.number().int().positive(),
    kind: z.enum(ASSESSMENT_KINDS),
    title: z.string().min(1).max(200),
    status: z.enum(ASSESSMENT_STATUSES),
    /** The leaf KLOE refs in scope; null means the whole framework. */
    scope: z.array(ref).nullable(),
    plannedStart: calendarDate.nullable(),
    plannedEnd: calendarDate.nullable(),
    sharedWithOrganisation: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
    publishedAt: instant.nullable(),
    /** Who opened it; null when the system did. */
    createdByEmail: email.nullable(),
    /** Who published it; null when unpublished or published by the system. */
    publishedByEmail: email.nullable(),
  }),
  /** Found by code on import; id and name are for people reading the file. */
  organisation: z.object({ id: z.uuid(), code: text, name: text }),
  /** Found by name within the organisation on import. */
  service: z.object({ id: z.uuid(), name: text }),
  /** The framework version the assessment is pinned to; the importing installation must hold the same content. */
  framework: z.object({
    id: text,
    version: z.number().int().positive(),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hexadecimal'),
  }),
  /** Exactly one lead, then the members. */
  team: z.array(z.object({ email, name: text, role: z.enum(TEAM_ROLES) })).min(1),
  findings: z.array(
    z.object({
      statementRef: text,
      kloeRef: ref,
      outcome: z.enum(FINDING_OUTCOMES),
      note: z.string().nullable(),
      updatedAt: instant,
      updatedByEmail: email.nullable(),
    }),
  ),
  kloeJudgements: z.array(
    z.object({
      kloeRef: ref,
      strengths: z.array(z.string()),
      areasForImprovement: z.array(z.string()),
      exceeded: z.boolean(),
      /** A level id of the framework's rating scale. */
      finalRating: text.nullable(),
      rationale: z.string().nullable(),
      updatedAt: instant,
      updatedByEmail: email.nullable(),
    }),
  ),
  /** The key questions' ratings and the overall one ("overall"). */
  rollUps: z.array(
    z.object({
      nodeRef: z.string().regex(/^(\d+|overall)$/, 'must be a key question ref or "overall"'),
      finalRating: text.nullable(),
      rationale: z.string().nullable(),
      updatedAt: instant,
      updatedByEmail: email.nullable(),
    }),
  ),
  challenges: z.array(
    z.object({
      /** A KLOE ref, a key question ref or "overall". */
      targetRef: z.string().regex(/^(\d+(\.\d+)*|overall)$/, 'must be a KLOE or key question ref or "overall"'),
      comment: text,
      raisedByEmail: email,
      raisedAt: instant,
      status: z.enum(CHALLENGE_STATUSES),
      resolution: z.string().nullable(),
      resolvedByEmail: email.nullable(),
      resolvedAt: instant.nullable(),
    }),
  ),
  /** In report order. Optional: documents exported before recommendations existed have none. */
  recommendations: z
    .array(
      z.object({
        text,
        priority: z.enum(RECOMMENDATION_PRIORITIES),
        /** The outcome the recommendation should achieve. */
        outcome: text,
        kloeRefs: z.array(ref),
        /** Areas for improvement it answers, by KLOE and the area's text as recorded there. */
        areas: z.array(z.object({ kloeRef: ref, text })),
        updatedAt: instant,
        updatedByEmail: email.nullable(),
      }),
    )
    .optional(),
  /** Oldest first. Optional: documents exported before evidence was included have none. */
  evidence: evidenceExportSchema.optional(),
  /** The lead's executive summary of the report; null when none was written. Optional in older documents. */
  executiveSummary: executiveSummaryExportSchema.nullable().optional(),
  /** The factual accuracy check with the organisation; null when the draft was never sent. Optional in older documents. */
  factualAccuracy: factualAccuracyExportSchema.nullable().optional(),
});

export type AssessmentExport = z.infer<typeof assessmentExportSchema>;

/** Checks the document's shape; every problem names its field path. */
export function parseAssessmentExport(input: unknown): AssessmentExport {
  const parsed = assessmentExportSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(document)',
    message: issue.message,
  }));
  throw invalidAssessmentInput(
    `Not a valid ${ASSESSMENT_FORMAT} document: ${problems[0]!.field}: ${problems[0]!.message}`,
    problems,
  );
}
