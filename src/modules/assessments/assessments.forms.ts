/**
 * The forms of the assessment pages (assessments.pages.ts): their schemas, built from the API's
 * (assessments.schemas.ts) with what a browser posts (blank fields, checkbox groups, one service select),
 * and the choices they offer.
 */
import { z } from 'zod';
import type { FrameworkDocument } from '../frameworks/index.js';
import { leafKloes } from '../frameworks/index.js';
import {
  createAssessmentBody,
  teamBody,
  updateAssessmentBody,
  type CreateAssessmentInput,
} from './assessments.schemas.js';
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  type AssessmentKind,
  type AssessmentStatus,
} from './assessments.tables.js';

/** The framework new assessments are opened against from the pages. */
export const FRAMEWORK_ID = 'audit-commission-j2';

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
/** A group of checkboxes posts nothing, one value or several. */
export const asList = (value: unknown): unknown[] =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];

export const listPageQuery = z.object({
  kind: z.preprocess(blankAsUndefined, z.enum(ASSESSMENT_KINDS).optional()),
  status: z.preprocess(blankAsUndefined, z.enum(ASSESSMENT_STATUSES).optional()),
  /** One organisation's assessments (linked from its page and its indicator analysis). */
  organisation: z.preprocess(blankAsUndefined, z.uuid().optional()),
  page: z.coerce.number().int().min(1).default(1),
});
export const donePageQuery = z.object({ done: z.string().max(40).optional() });

const SERVICE_CHOICE = /^[0-9a-f-]{36}:[0-9a-f-]{36}$/i;
const created = createAssessmentBody.shape;
const scopeField = z.preprocess(asList, z.array(z.string().trim()));
const datesInOrder = (v: { plannedStart?: string | null; plannedEnd?: string | null }) =>
  !v.plannedStart || !v.plannedEnd || v.plannedStart <= v.plannedEnd;
const datesMessage = { path: ['plannedEnd'], message: 'The end date must be on or after the start date' };

export const newAssessmentForm = z
  .object({
    service: z.string({ error: 'Choose the service' }).regex(SERVICE_CHOICE, 'Choose the service'),
    kind: created.kind,
    title: created.title,
    plannedStart: created.plannedStart,
    plannedEnd: created.plannedEnd,
    scope: scopeField,
    leadUserId: z.preprocess(blankAsUndefined, created.leadUserId),
    memberUserIds: z.preprocess(asList, z.array(z.string().trim().min(1).max(64))),
  })
  .refine(datesInOrder, datesMessage)
  .transform(({ service, ...rest }): CreateAssessmentInput => {
    const [organisationId, serviceId] = service.split(':') as [string, string];
    return { ...rest, organisationId, serviceId, frameworkId: FRAMEWORK_ID };
  });

const updated = updateAssessmentBody.shape;
/** Sharing is a question only for inspections: the organisation's own assessments are always theirs. */
export const detailsForm = (kind: AssessmentKind) =>
  z
    .object({
      version: updated.version,
      title: z.string({ error: 'Enter a title' }).pipe(updated.title.unwrap()),
      plannedStart: updated.plannedStart,
      plannedEnd: updated.plannedEnd,
      scope: scopeField,
      sharedWithOrganisation: z.string().optional(),
    })
    .refine(datesInOrder, datesMessage)
    .transform(({ sharedWithOrganisation, ...rest }) => ({
      ...rest,
      ...(kind === 'inspection' ? { sharedWithOrganisation: sharedWithOrganisation === 'yes' } : {}),
    }));

export const teamForm = teamBody.extend({ memberUserIds: z.preprocess(asList, teamBody.shape.memberUserIds) });
export const reopenForm = z.object({ reason: z.string().trim().max(1000).optional() });

/** The status moves a page offers, and what the person must be allowed to do for each. */
export const STATUS_ACTIONS: Record<
  AssessmentStatus,
  { status: AssessmentStatus; text: string; needs: 'lead' | 'publish'; secondary?: boolean }[]
> = {
  planning: [{ status: 'fieldwork', text: 'Start fieldwork', needs: 'lead' }],
  fieldwork: [{ status: 'moderation', text: 'Send to moderation', needs: 'lead' }],
  moderation: [
    { status: 'published', text: 'Publish', needs: 'publish' },
    { status: 'fieldwork', text: 'Send back to fieldwork', needs: 'lead', secondary: true },
  ],
  published: [],
};

export const newFormField = (field: string) =>
  field === 'organisationId' || field === 'serviceId' || field === 'frameworkId'
    ? 'service'
    : field.startsWith('memberUserIds')
      ? 'memberUserIds'
      : field;

export function scopeItems(doc: FrameworkDocument, chosen: unknown) {
  const ticked = new Set(asList(chosen).map(String));
  const leaves = leafKloes(doc);
  return doc.keyQuestions.flatMap((kq) => [
    { value: kq.ref, text: `Key question ${kq.ref}: ${kq.title} (all its KLOEs)`, checked: ticked.has(kq.ref) },
    ...leaves
      .filter((leaf) => leaf.keyQuestion.ref === kq.ref)
      .map((leaf) => ({
        value: leaf.kloe.ref,
        text: `${leaf.kloe.ref} ${leaf.kloe.question}`,
        checked: ticked.has(leaf.kloe.ref),
      })),
  ]);
}
