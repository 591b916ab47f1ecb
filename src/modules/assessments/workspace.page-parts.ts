/**
 * What the workspace's pages (workspace.pages.ts, moderation.pages.ts) share: the ?done= and ?saved= query,
 * a form shown again, the posted fields as text, a rating scale's labels, and a form's zod refusal as a 400.
 */
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { problemsFromZod, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { formValues, type FormValues } from './workspace.forms.js';

export const pageQuery = z.object({
  done: z.string().max(40).optional(),
  saved: z
    .string()
    .regex(/^\d+(\.\d+)*$/)
    .optional(),
});

/** A form shown again: what was posted, the errors, and (after a conflict) the version that won. */
export interface FormRedisplay {
  values: FormValues;
  errors?: FormErrors;
  conflict?: { who: string; at: Date; record: unknown };
}

/** The posted fields as text, without the CSRF token. */
export const postedValues = (body: unknown) => formValues(withoutCsrf(body));

/** A rating scale as id → label ("promising" → "Promising"). */
export const ratingLabels = (scale: { id: string; label: string }[]) =>
  Object.fromEntries(scale.map((level) => [level.id, level.label]));

export function invalid(error: z.ZodError): AppError {
  return new AppError('invalid_request', 400, 'Check the form', problemsFromZod(error));
}
