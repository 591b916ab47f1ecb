/** The body of every error answer of the API, as the OpenAPI document describes it. */
import { z } from 'zod';

// Loose: a problem may carry extension members (RFC 9457 §3.2), e.g. the version that won an edit conflict.
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe('application/problem+json (RFC 9457)');
