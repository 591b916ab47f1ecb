/** Request schemas of recommendations, shared by the JSON API and the pages' forms. */
import { z } from 'zod';
import { wholeNumber } from '../../web/text-fields.js';
import { RECOMMENDATION_PRIORITIES, type RecommendationPriority } from './recommendations.tables.js';
import { assessmentIdParams } from './assessments.schemas.js';

export const PRIORITY_LABELS: Record<RecommendationPriority, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

const kloeRef = z.string().regex(/^\d+(\.\d+)*$/, 'Not a KLOE reference');
const required = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(2000, `Keep ${what} under 2,000 characters`);

export const recommendationBody = z.object({
  text: required('the recommendation'),
  priority: z.enum(RECOMMENDATION_PRIORITIES, { error: 'Choose a priority: high, medium or low' }),
  outcome: required('the outcome it should achieve'),
  kloeRefs: z.array(kloeRef).max(50).default([]),
  areas: z
    .array(z.object({ kloeRef, text: z.string().trim().min(1).max(2000) }))
    .max(100)
    .default([]),
});
export type RecommendationInput = z.infer<typeof recommendationBody>;

export const updateRecommendationBody = recommendationBody.extend({
  version: wholeNumber('The version read is missing'),
});
export type UpdateRecommendationInput = z.infer<typeof updateRecommendationBody>;

export const recommendationParams = assessmentIdParams.extend({
  recommendationId: z.uuid({ error: 'Not a recommendation id' }),
});

export const recommendationResponse = z.object({
  id: z.uuid(),
  position: z.number().int(),
  text: z.string(),
  priority: z.enum(RECOMMENDATION_PRIORITIES),
  outcome: z.string(),
  kloeRefs: z.array(z.string()),
  areas: z.array(z.object({ kloeRef: z.string(), text: z.string() })),
  version: z.number().int(),
  updatedAt: z.iso.datetime({ offset: true }),
});
