import { z } from 'zod';
import { kloeParams } from '../assessments/index.js';
import { COMMENT_AUDIENCES } from './comments.tables.js';

export const threadParams = kloeParams.pick({ id: true }).extend({ threadId: z.string().max(64) });

const body = z
  .string({ error: 'Write a comment' })
  .trim()
  .min(1, 'Write a comment')
  .max(10_000, 'Keep a comment to 10,000 characters');
const mentions = z
  .array(z.string().max(64))
  .max(50, 'Mention at most 50 people')
  .default([])
  .describe('Ids of the people the comment mentions; each is notified');

export const startThreadBody = z.object({
  audience: z.enum(COMMENT_AUDIENCES, { error: 'Choose who can read it: team or organisation' }),
  statementRef: z.string().max(40).nullable().default(null).describe('The statement it is about; null: the KLOE'),
  body,
  mentions,
});
export type StartThreadInput = z.infer<typeof startThreadBody>;

export const replyBody = z.object({ body, mentions });
export type ReplyInput = z.infer<typeof replyBody>;

const commentJson = z.object({
  id: z.uuid(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  mentions: z.array(z.string()),
  createdAt: z.date(),
});

export const threadJson = z.object({
  id: z.uuid(),
  kloeRef: z.string(),
  statementRef: z.string().nullable(),
  audience: z.enum(COMMENT_AUDIENCES),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  comments: z.array(commentJson),
});

export const AUDIENCE_LABELS = {
  team: 'Team only',
  organisation: 'Team and organisation',
} as const;
