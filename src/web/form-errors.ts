/**
 * Turning validation problems into what GOV.UK's error summary and field macros take, so every form
 * shows errors the same way: a summary linking to each field, and the message beside the field.
 */
import type { z } from 'zod';
import type { FieldProblem } from '../errors.js';

export interface FormErrors {
  /** For govukErrorSummary({ errorList }). */
  errorList: { text: string; href: string }[];
  /** For each field macro's errorMessage, keyed by field name. */
  fields: Record<string, { text: string }>;
}

export function formErrorsFrom(problems: FieldProblem[]): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const problem of problems) fields[problem.field] ??= { text: problem.message };
  return {
    errorList: Object.entries(fields).map(([field, { text }]) => ({ text, href: `#${field}` })),
    fields,
  };
}

/** Zod issues as field problems; a form schema's messages are written for people ("Enter an email address"). */
export function problemsFromZod(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || 'form', message: issue.message }));
}
