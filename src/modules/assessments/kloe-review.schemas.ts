import { z } from 'zod';
import { REVIEW_STATES, type ReviewState } from './kloe-review.tables.js';

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  drafting: 'Drafting',
  ready_for_review: 'Ready for review',
  reviewed: 'Reviewed',
};

const personId = z.string().trim().max(64);

export const assignBody = z.object({
  assigneeId: personId.nullable().describe('Who drafts the KLOE; null: no one'),
  reviewerId: personId.nullable().describe('Who signs it off besides the lead; null: the lead'),
  dueOn: z.iso.date({ error: 'Enter the due date as a date, like 2027-03-14' }).nullable(),
});
export type AssignInput = z.infer<typeof assignBody>;

export const moveBody = z.object({
  to: z.enum(REVIEW_STATES, { error: `Choose one of ${REVIEW_STATES.join(', ')}` }),
  reason: z.string().trim().max(2000, 'Keep the reason to 2,000 characters').optional(),
});
export type MoveInput = z.infer<typeof moveBody>;

export const assignmentJson = z.object({
  kloeRef: z.string(),
  question: z.string(),
  state: z.enum(REVIEW_STATES),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  reviewer: z.object({ id: z.string(), name: z.string() }).nullable(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  reviewedAt: z.date().nullable(),
  reopenReason: z.string().nullable(),
  judged: z.number().int(),
  total: z.number().int(),
});
