/**
 * Request and response schemas of assessments, shared by the JSON API and the forms. Messages are
 * written for the person filling in the form.
 */
import { z } from 'zod';
import { nameText, wholeNumber } from '../../web/text-fields.js';
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  FINDING_OUTCOMES,
  type AssessmentKind,
  type AssessmentStatus,
  type FindingOutcome,
} from './assessments.tables.js';

export const KIND_LABELS: Record<AssessmentKind, string> = {
  inspection: 'Inspection',
  self_assessment: 'Self-assessment',
  peer_review: 'Peer review',
};

export const STATUS_LABELS: Record<AssessmentStatus, string> = {
  planning: 'Planning',
  fieldwork: 'Fieldwork',
  moderation: 'Moderation',
  published: 'Published',
};

export const OUTCOME_LABELS: Record<FindingOutcome, string> = {
  met: 'Met',
  partly_met: 'Partly met',
  not_met: 'Not met',
  not_judged: 'Not yet judged',
};

const uuid = (message: string) => z.uuid({ error: message });
/** A person's id (better-auth makes them: not UUIDs). */
const personId = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);

/** Blank (as a form sends it) and null both mean "none". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Enter no more than ${max} characters`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

const isoDate = z
  .string()
  .trim()
  .transform((value) => (value === '' ? null : value))
  .pipe(z.iso.date({ error: 'Enter a real date, like 2026-03-14' }).nullable())
  .nullable()
  .optional();

/** Several short texts (strengths, areas for improvement): blank ones are dropped. */
const textList = z
  .array(z.string().trim().max(2000, 'Keep each one under 2,000 characters'))
  .max(50, 'Record no more than 50')
  .transform((items) => items.filter((item) => item !== ''));

const version = wholeNumber('The version you edited is missing; reload the page');

export const assessmentIdParams = z.object({ id: uuid('Not an assessment id') });
export const kloeParams = assessmentIdParams.extend({ ref: z.string().regex(/^\d+(\.\d+)*$/, 'Not a KLOE reference') });
export const rollUpParams = assessmentIdParams.extend({
  node: z.string().regex(/^(\d+|overall)$/, 'Not a key question or "overall"'),
});
export const challengeParams = assessmentIdParams.extend({ challengeId: uuid('Not a challenge id') });

export const listAssessmentsQuery = z.object({
  organisationId: z.uuid().optional(),
  serviceId: z.uuid().optional(),
  kind: z.enum(ASSESSMENT_KINDS).optional(),
  status: z.enum(ASSESSMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListAssessmentsQuery = z.infer<typeof listAssessmentsQuery>;

export const createAssessmentBody = z
  .object({
    organisationId: uuid('Choose the organisation'),
    serviceId: uuid('Choose the service'),
    kind: z.enum(ASSESSMENT_KINDS, { error: 'Choose the kind of assessment' }),
    title: nameText({ error: 'Enter a title' })
      .min(1, { error: 'Enter a title', abort: true })
      .max(200, 'Enter a title of no more than 200 characters'),
    frameworkId: z.string().default('audit-commission-j2'),
    /** Pinned at creation; the latest version when not given. */
    frameworkVersion: z.number().int().positive().optional(),
    /** KLOE, group or key question refs ("5" means all of key question 5); all KLOEs when empty. */
    scope: z.array(z.string().trim()).optional(),
    plannedStart: isoDate,
    plannedEnd: isoDate,
    sharedWithOrganisation: z.boolean().optional(),
    /** The lead; the creator when not given (an administrator must name one). */
    leadUserId: personId('Choose the lead').optional(),
    memberUserIds: z.array(personId('Not a person id')).optional(),
  })
  .refine((v) => !v.plannedStart || !v.plannedEnd || v.plannedStart <= v.plannedEnd, {
    path: ['plannedEnd'],
    message: 'The end date must be on or after the start date',
  });
export type CreateAssessmentInput = z.infer<typeof createAssessmentBody>;

export const updateAssessmentBody = z.object({
  version,
  title: nameText().min(1, 'Enter a title').max(200).optional(),
  scope: z.array(z.string().trim()).optional(),
  plannedStart: isoDate,
  plannedEnd: isoDate,
  sharedWithOrganisation: z.boolean().optional(),
});
export type UpdateAssessmentInput = z.infer<typeof updateAssessmentBody>;

export const teamBody = z.object({
  version,
  leadUserId: personId('Choose the lead'),
  memberUserIds: z.array(personId('Not a person id')).default([]),
});
export type TeamInput = z.infer<typeof teamBody>;

export const statusBody = z.object({
  version,
  status: z.enum(ASSESSMENT_STATUSES, { error: 'Choose a status' }),
  reason: optionalText(1000),
});
export type StatusInput = z.infer<typeof statusBody>;

export const findingInput = z.object({
  statementRef: z.string().min(1),
  outcome: z.enum(FINDING_OUTCOMES, { error: 'Choose met, partly met, not met or not yet judged' }),
  note: optionalText(5000),
});

export const saveKloeBody = z.object({
  version,
  findings: z.array(findingInput).max(200).optional(),
  strengths: textList.optional(),
  areasForImprovement: textList.optional(),
  exceeded: z.boolean().optional(),
  /** A level id of the framework's scale; null clears it. */
  finalRating: z.string().trim().nullable().optional(),
  rationale: optionalText(5000),
  /** Why, for the audit trail. */
  reason: optionalText(1000),
});
export type SaveKloeInput = z.infer<typeof saveKloeBody>;

export const saveRollUpBody = z.object({
  version,
  finalRating: z.string().trim().nullable().optional(),
  rationale: optionalText(5000),
});
export type SaveRollUpInput = z.infer<typeof saveRollUpBody>;

export const challengeBody = z.object({
  /** A KLOE ref, a key question ref or "overall". */
  targetRef: z.string().regex(/^(\d+(\.\d+)*|overall)$/, 'Choose the rating to challenge'),
  comment: z
    .string({ error: 'Say why you challenge this rating' })
    .trim()
    .min(1, 'Say why you challenge this rating')
    .max(5000),
});
export type ChallengeInput = z.infer<typeof challengeBody>;

export const resolveChallengeBody = z
  .object({
    outcome: z.enum(['accepted', 'changed'], { error: 'Choose whether to keep or change the rating' }),
    /** The new rating, when the outcome is "changed". */
    rating: z.string().trim().optional(),
    reason: z.string({ error: 'Give the reason' }).trim().min(1, 'Give the reason').max(5000),
  })
  .refine((v) => v.outcome !== 'changed' || (v.rating ?? '') !== '', {
    path: ['rating'],
    message: 'Choose the new rating',
  });
export type ResolveChallengeInput = z.infer<typeof resolveChallengeBody>;
