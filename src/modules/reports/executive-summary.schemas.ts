/** The executive summary as the API and the report page's form take it. */
import { z } from 'zod';

/** A few paragraphs: generous for that, short enough to stay a summary. */
export const EXECUTIVE_SUMMARY_MAX = 6000;

export const executiveSummaryBody = z.object({
  text: z
    .string({ error: 'Enter the executive summary' })
    .trim()
    .max(EXECUTIVE_SUMMARY_MAX, {
      error: `The executive summary must be ${EXECUTIVE_SUMMARY_MAX} characters or fewer`,
    }),
});
export type ExecutiveSummaryInput = z.infer<typeof executiveSummaryBody>;

export const executiveSummaryResponse = z.object({
  text: z.string(),
  updatedAt: z.string().nullable(),
});
