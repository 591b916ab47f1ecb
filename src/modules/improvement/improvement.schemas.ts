/** Request and response schemas of improvement plans, shared by the JSON API and the pages' forms. */
import { z } from 'zod';
import { nameText, wholeNumber } from '../../web/text-fields.js';
import { ACTION_STATUSES } from './improvement.tables.js';

export const planParams = z.object({
  id: z.uuid({ error: 'Not an organisation id' }),
  serviceId: z.uuid({ error: 'Not a service id' }),
});
export const aimParams = planParams.extend({ aimId: z.uuid({ error: 'Not an aim id' }) });
export const assessmentParams = z.object({ id: z.uuid({ error: 'Not an assessment id' }) });
export const actionParams = aimParams.extend({ actionId: z.uuid({ error: 'Not an action id' }) });

const title = (what: string) =>
  nameText({ error: `Enter ${what}` })
    .min(1, `Enter ${what}`)
    .max(300, `Keep ${what} under 300 characters`);
const longText = (what: string) => z.string().trim().max(4000, `Keep ${what} under 4,000 characters`).default('');
const isoDate = (what: string) => z.iso.date({ error: `Enter ${what} as a date, for example 2027-03-31` });
/** A number as JSON sends it, or as a form posts it ("1,250.5"). */
const decimal = (what: string) =>
  z.union(
    [
      z.number().finite(),
      z
        .string()
        .transform((raw) => raw.replace(/[,\s]/g, ''))
        .pipe(z.string().regex(/^-?\d+(\.\d+)?$/))
        .transform(Number),
    ],
    { error: `Enter ${what} as a number` },
  );

export const aimBody = z.object({
  title: title('the aim'),
  description: longText('the description'),
  kloeRefs: z.array(z.string().max(20)).max(50).default([]),
  recommendationIds: z
    .array(z.uuid({ error: 'Not a recommendation id' }))
    .max(50)
    .default([]),
});
export type AimInput = z.infer<typeof aimBody>;
export const updateAimBody = aimBody.extend({ version: wholeNumber('The version read is missing') });
export type UpdateAimInput = z.infer<typeof updateAimBody>;

export const milestoneSchema = z.object({ title: title('the milestone'), date: isoDate('the milestone’s date') });
export const measureSchema = z.object({
  indicatorCode: z.string().trim().min(1, 'Choose an indicator').max(40),
  baseline: decimal('the baseline'),
  target: decimal('the target'),
  targetPeriod: z.string().trim().min(1, 'Enter the period by which the target is due').max(20),
});

export const actionBody = z.object({
  title: title('the action'),
  ownerId: z.string().trim().min(1).max(100).nullable().default(null),
  startDate: isoDate('the start date').nullable().default(null),
  dueDate: isoDate('the due date').nullable().default(null),
  resources: longText('the resources'),
  milestones: z.array(milestoneSchema).max(20).default([]),
  measures: z.array(measureSchema).max(10).default([]),
  dependsOn: z
    .array(z.uuid({ error: 'Not an action id' }))
    .max(20)
    .default([]),
});
export type ActionInput = z.infer<typeof actionBody>;
export const updateActionBody = actionBody.extend({ version: wholeNumber('The version read is missing') });
export type UpdateActionInput = z.infer<typeof updateActionBody>;

export const progressBody = z.object({
  recordedOn: isoDate('the date of the progress'),
  note: nameText({ error: 'Say what progress was made' })
    .min(1, 'Say what progress was made')
    .max(4000, 'Keep the note under 4,000 characters'),
  milestonesReached: z.array(z.string().max(300)).max(20).default([]),
  evidenceItemIds: z
    .array(z.uuid({ error: 'Not an evidence item id' }))
    .max(20)
    .default([]),
});
export type ProgressInput = z.infer<typeof progressBody>;

export const statusBody = z.object({
  status: z.enum(ACTION_STATUSES, { error: 'Choose a status' }),
  reason: z.string().trim().max(2000, 'Keep the reason under 2,000 characters').default(''),
  version: wholeNumber('The version read is missing'),
});
export type StatusInput = z.infer<typeof statusBody>;

export const commentBody = z.object({
  body: nameText({ error: 'Enter a comment' })
    .min(1, 'Enter a comment')
    .max(4000, 'Keep the comment under 4,000 characters'),
  actionId: z.uuid({ error: 'Not an action id' }).nullable().default(null),
});
export type CommentInput = z.infer<typeof commentBody>;

export const deleteBody = z.object({ version: wholeNumber('The version read is missing') });
/** A delete in the API may name the version read (409 if changed since); without one it deletes what is there. */
export const deleteQuery = z.object({ version: wholeNumber('Not a version').optional() });

const timestamp = z.iso.datetime({ offset: true });

export const statusResponse = z.object({
  status: z.enum(ACTION_STATUSES),
  label: z.string().describe('The status in words (never shown by colour alone)'),
  suggested: z.enum(ACTION_STATUSES),
  reasons: z.array(z.string()).describe('Why the suggestion is what it is'),
  override: z.object({ status: z.enum(ACTION_STATUSES), reason: z.string() }).nullable(),
});

export const progressResponse = z.object({
  id: z.uuid(),
  recordedOn: z.string(),
  note: z.string(),
  milestonesReached: z.array(z.string()),
  evidenceItemIds: z.array(z.string()),
  authorName: z.string().nullable(),
  createdAt: timestamp,
});

export const commentResponse = z.object({
  id: z.uuid(),
  actionId: z.uuid().nullable(),
  body: z.string(),
  authorName: z.string().nullable(),
  createdAt: timestamp,
});

export const actionResponse = z.object({
  id: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  startDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  resources: z.string(),
  milestones: z.array(z.object({ title: z.string(), date: z.string() })),
  measures: z.array(
    z.object({ indicatorCode: z.string(), baseline: z.number(), target: z.number(), targetPeriod: z.string() }),
  ),
  dependsOn: z.array(z.string()),
  status: statusResponse.optional().describe('Given where the plan is read whole'),
  version: z.number().int(),
  updatedAt: timestamp,
});

export const aimResponse = z.object({
  id: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  description: z.string(),
  kloeRefs: z.array(z.string()),
  recommendationIds: z.array(z.string()),
  version: z.number().int(),
  updatedAt: timestamp,
  actions: z.array(actionResponse),
});

export const qualityFlagResponse = z.object({ code: z.string(), message: z.string(), count: z.number().int() });

export const planResponse = z.object({
  organisationId: z.uuid(),
  serviceId: z.uuid(),
  aims: z.array(aimResponse),
  flags: z.array(qualityFlagResponse),
  comments: z.array(commentResponse),
});

export const actionDetailResponse = actionResponse.extend({
  status: statusResponse,
  progress: z.array(progressResponse),
});

export const draftResponse = z.object({
  created: z.number().int().describe('How many aims were added (0 when every source was drafted before)'),
  href: z.string().describe('The plan’s page'),
});
