/**
 * A form post handled the same way on every page: check the fields with the form's schema, do the work,
 * and redirect with 303 (so that reloading the next page does not post again). When the fields or the
 * work fail with field problems (a 400, or a 409 such as a taken code), the form is shown again with the
 * error summary and what the person typed. Any other error goes to the error handler as usual.
 */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { onDayFields, parseDateForm } from './date-input-fields.js';
import { formErrorsFrom, formRefusal, type FormErrors } from './form-errors.js';
import { CSRF_FIELD } from './security.js';

export interface FormState {
  /** What was posted (without the CSRF token), or what a form starts from, to put into the fields. */
  values: Record<string, unknown>;
  /** Absent on a form shown for the first time. */
  errors?: FormErrors;
}

/** What a form posted, without its CSRF token: the values to show again in the fields. */
export const withoutCsrf = (body: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([name]) => name !== CSRF_FIELD));

export async function handleFormPost<T>(
  reply: FastifyReply,
  form: {
    body: unknown;
    schema: z.ZodType<T>;
    /** The form's GOV.UK date inputs, name → label ("The due date"), read by date-input-fields.ts. */
    dates?: Record<string, string>;
    /** Does the work and says where to go next. */
    save: (data: T) => Promise<string>;
    /** The form field that holds a field the work names (default: the same name). */
    fieldFor?: (field: string) => string;
    /** Renders the form again (reply already carries the error status). */
    redisplay: (reply: FastifyReply, state: FormState) => FastifyReply | Promise<FastifyReply>;
  },
): Promise<FastifyReply> {
  const values = withoutCsrf(form.body);
  const dates = form.dates ?? {};
  try {
    return reply.redirect(await form.save(parseDateForm(form.schema, values, dates)), 303);
  } catch (error) {
    const refused = error instanceof AppError ? formRefusal(error, form.fieldFor) : undefined;
    if (!refused) throw error;
    const errors = formErrorsFrom(onDayFields(refused.problems, dates));
    return form.redisplay(reply.status(refused.status), { values, errors });
  }
}
