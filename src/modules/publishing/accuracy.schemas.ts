/** The factual accuracy check as the API and the forms take it: sending the draft, commenting, answering. */
import { z } from 'zod';
import { assessmentIdParams } from '../assessments/index.js';
import { ACCURACY_RESPONSES } from './publishing.tables.js';

export const RESPONSE_LABELS = {
  accepted: 'Accepted',
  changed: 'Changed',
  not_accepted: 'Not accepted',
} as const;

export const sendCheckBody = z.object({
  deadline: z.iso.date({ error: 'Enter a real date, like 2026-03-14' }),
  message: z
    .string()
    .trim()
    .max(2000, 'Enter no more than 2000 characters')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
});
export type SendCheckInput = z.infer<typeof sendCheckBody>;

export const commentBody = z.object({
  /** "summary", a key question ref or a KLOE ref in the assessment's scope. */
  section: z.string({ error: 'Choose the section' }).trim().min(1, 'Choose the section'),
  body: z
    .string({ error: 'Enter your comment' })
    .trim()
    .min(1, 'Enter your comment')
    .max(5000, 'Enter no more than 5000 characters'),
});
export type CommentInput = z.infer<typeof commentBody>;

export const answerBody = z.object({
  response: z.enum(ACCURACY_RESPONSES, { error: 'Choose accepted, changed or not accepted' }),
  text: z
    .string()
    .trim()
    .max(5000, 'Enter no more than 5000 characters')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
});
export type AnswerInput = z.infer<typeof answerBody>;

export const commentParams = assessmentIdParams.extend({ commentId: z.uuid({ error: 'Not a comment id' }) });

const commentJson = z.object({
  id: z.uuid(),
  section: z.string(),
  sectionTitle: z.string(),
  body: z.string(),
  authorName: z.string(),
  createdAt: z.date(),
  response: z.enum(ACCURACY_RESPONSES).nullable(),
  responseText: z.string().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.date().nullable(),
});

export const checkJson = z.object({
  sent: z.boolean(),
  deadline: z.string().nullable(),
  message: z.string().nullable(),
  sentAt: z.date().nullable(),
  /** True while the organisation may comment: sent, before the end of the deadline, not published. */
  open: z.boolean(),
  unanswered: z.number().int(),
  publishedDespite: z.string().nullable(),
  sections: z.array(z.object({ id: z.string(), title: z.string() })),
  comments: z.array(commentJson),
});
