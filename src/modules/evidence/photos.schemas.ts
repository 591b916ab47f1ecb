/** A photo taken as evidence of one statement of a KLOE (page form and API share it). */
import { z } from 'zod';

const yes = new Set(['yes', 'true', 'on']);

export const photoBody = z.object({
  statementRef: z
    .string({ error: 'Choose the statement the photo is evidence of' })
    .trim()
    .min(1, 'Choose the statement the photo is evidence of')
    .max(40, 'Choose the statement the photo is evidence of'),
  note: z
    .string()
    .trim()
    .max(5_000, 'Enter a note of no more than 5,000 characters')
    .transform((value) => (value === '' ? null : value))
    .optional(),
  keepMetadata: z
    .enum(['yes', 'no', 'true', 'false', 'on'], { error: 'Say yes or no' })
    .optional()
    .transform((value) => value !== undefined && yes.has(value))
    .describe('yes: keep the photo’s location and camera details; by default they are removed'),
});
export type PhotoInput = z.infer<typeof photoBody>;

export const photoParams = z.object({ id: z.string(), ref: z.string().max(40) });

export const photoJson = z.object({
  itemId: z.uuid(),
  statementRef: z.string(),
  sha256: z.string(),
  size: z.number(),
  metadataRemoved: z.boolean(),
  page: z.string().describe('The evidence item’s page'),
});
