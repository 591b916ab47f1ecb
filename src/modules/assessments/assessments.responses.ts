/**
 * The JSON shapes of assessments in the API (and their OpenAPI schemas), and the functions that build
 * them from what the services return. Dates are ISO strings.
 */
import { z } from 'zod';
import type { AssessmentSummary, AssessmentRow } from './assessments.repository.js';
import type { KloeJudgementRow, RollUpRow } from './judgements.repository.js';
import { ASSESSMENT_KINDS, ASSESSMENT_STATUSES, FINDING_OUTCOMES } from './assessments.tables.js';
import type { KloeState, RollUpState } from './workspace.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const assessmentResponse = z.object({
  id: z.uuid(),
  seriesId: z.uuid(),
  revision: z.number().int(),
  organisationId: z.uuid(),
  serviceId: z.uuid(),
  kind: z.enum(ASSESSMENT_KINDS),
  title: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  scope: z.array(z.string()).nullable(),
  plannedStart: z.string().nullable(),
  plannedEnd: z.string().nullable(),
  sharedWithOrganisation: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  organisationName: z.string().optional(),
  serviceName: z.string().optional(),
  framework: z.object({ id: z.string(), version: z.number().int() }).optional(),
});

export function assessmentJson(row: AssessmentRow, summary?: Omit<AssessmentSummary, 'assessment'>) {
  const { id, seriesId, revision, organisationId, serviceId, kind, title, status, scope } = row;
  const { plannedStart, plannedEnd, sharedWithOrganisation, version } = row;
  return {
    ...{ id, seriesId, revision, organisationId, serviceId, kind, title, status, scope },
    ...{ plannedStart, plannedEnd, sharedWithOrganisation, version },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: iso(row.publishedAt),
    ...(summary
      ? {
          organisationName: summary.organisationName,
          serviceName: summary.serviceName,
          framework: { id: summary.frameworkId, version: summary.frameworkVersion },
        }
      : {}),
  };
}

export const assessmentListResponse = z.object({
  assessments: z.array(assessmentResponse),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const teamResponse = z.array(
  z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(['lead', 'member']) }),
);

export const assessmentDetailResponse = assessmentResponse.extend({
  team: teamResponse,
  revisions: z.array(z.object({ id: z.uuid(), revision: z.number().int(), status: z.enum(ASSESSMENT_STATUSES) })),
  openChallenges: z.number().int(),
  permissions: z.record(z.string(), z.boolean()),
});

const suggestionResponse = z.object({
  rating: z.string().nullable(),
  reasons: z.array(z.string()),
  drivers: z
    .array(
      z.object({ ref: z.string(), level: z.string(), finding: z.string(), effect: z.string(), rating: z.string() }),
    )
    .optional(),
});

const findingResponse = z.object({
  statementRef: z.string(),
  outcome: z.enum(FINDING_OUTCOMES),
  note: z.string().nullable(),
  updatedAt: z.string(),
});

export const kloeResponse = z.object({
  ref: z.string(),
  question: z.string(),
  keyQuestion: z.string(),
  version: z.number().int(),
  statements: z.object({ judged: z.number().int(), total: z.number().int() }),
  findings: z.array(findingResponse),
  strengths: z.array(z.string()),
  areasForImprovement: z.array(z.string()),
  exceeded: z.boolean(),
  suggestedRating: suggestionResponse,
  finalRating: z.string().nullable(),
  rationale: z.string().nullable(),
  updatedAt: z.string(),
});

export function kloeJson(k: KloeState) {
  return {
    ref: k.leaf.kloe.ref,
    question: k.leaf.kloe.question,
    keyQuestion: k.leaf.keyQuestion.ref,
    ...judgementFields(k.judgement),
    statements: { judged: k.judged, total: k.total },
    findings: k.findings.map((f) => ({
      statementRef: f.statementRef,
      outcome: f.outcome,
      note: f.note,
      updatedAt: f.updatedAt.toISOString(),
    })),
    suggestedRating: { rating: k.suggestion.rating, reasons: k.suggestion.reasons, drivers: k.suggestion.drivers },
  };
}

function judgementFields(j: KloeJudgementRow) {
  const { strengths, areasForImprovement, exceeded, finalRating, rationale, version } = j;
  return {
    strengths,
    areasForImprovement,
    exceeded,
    finalRating,
    rationale,
    version,
    updatedAt: j.updatedAt.toISOString(),
  };
}

export const rollUpResponse = z.object({
  ref: z.string(),
  title: z.string(),
  version: z.number().int(),
  suggestedRating: suggestionResponse,
  finalRating: z.string().nullable(),
  rationale: z.string().nullable(),
  updatedAt: z.string(),
});

export function rollUpJson(r: RollUpState) {
  return {
    ref: r.nodeRef,
    title: r.title,
    ...rollUpFields(r.judgement),
    suggestedRating: { rating: r.suggestion.rating, reasons: r.suggestion.reasons },
  };
}

function rollUpFields(j: RollUpRow) {
  return {
    version: j.version,
    finalRating: j.finalRating,
    rationale: j.rationale,
    updatedAt: j.updatedAt.toISOString(),
  };
}

export const scorecardResponse = z.object({
  assessmentId: z.uuid(),
  status: z.enum(ASSESSMENT_STATUSES),
  kloes: z.array(kloeResponse),
  keyQuestions: z.array(rollUpResponse),
  overall: rollUpResponse,
  // The four outcomes as properties: a z.record of the enum would require keys the schema does not define.
  findingCounts: z.object({
    met: z.number().int(),
    partly_met: z.number().int(),
    not_met: z.number().int(),
    not_judged: z.number().int(),
  } satisfies Record<(typeof FINDING_OUTCOMES)[number], z.ZodNumber>),
  missingFinalRatings: z.array(z.string()),
});

export const challengeResponse = z.object({
  id: z.uuid(),
  targetRef: z.string(),
  comment: z.string(),
  raisedBy: z.string(),
  raisedByName: z.string().optional(),
  raisedAt: z.string(),
  status: z.enum(['open', 'accepted', 'changed']),
  resolution: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});

export function challengeJson(
  c: {
    id: string;
    targetRef: string;
    comment: string;
    raisedBy: string;
    raisedAt: Date;
    status: 'open' | 'accepted' | 'changed';
    resolution: string | null;
    resolvedAt: Date | null;
  },
  raisedByName?: string,
) {
  return {
    id: c.id,
    targetRef: c.targetRef,
    comment: c.comment,
    raisedBy: c.raisedBy,
    ...(raisedByName ? { raisedByName } : {}),
    raisedAt: c.raisedAt.toISOString(),
    status: c.status,
    resolution: c.resolution,
    resolvedAt: iso(c.resolvedAt),
  };
}
