/**
 * Turning validation problems into what GOV.UK's error summary and field macros take, so every form
 * shows errors the same way: a summary linking to each field, and the message beside the field.
 */
import { z } from 'zod';
import { AppError, type FieldProblem } from '../errors.js';

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

/**
 * A refusal that a form shows again: a zod error, or an AppError naming fields, with each problem moved onto
 * the form field that holds it (`fieldFor`: a service's `organisationId` is the form's `service`), and the
 * status to answer with. Undefined when the error is not the form's to show: the error handler takes it.
 */
export function formRefusal(
  error: unknown,
  fieldFor: (field: string) => string = (field) => field,
): { status: number; problems: FieldProblem[]; errors: FormErrors } | undefined {
  const refused =
    error instanceof z.ZodError
      ? { status: 400, problems: problemsFromZod(error) }
      : error instanceof AppError && error.problems.length > 0
        ? { status: error.status, problems: error.problems }
        : undefined;
  if (!refused) return undefined;
  const problems = refused.problems.map((p) => ({ ...p, field: fieldFor(p.field) }));
  return { status: refused.status, problems, errors: formErrorsFrom(problems) };
}
