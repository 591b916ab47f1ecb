import { AppError, notFound, type FieldProblem } from '../../errors.js';

export const frameworkNotFound = (id: string) => notFound('framework_not_found', `No framework with id "${id}"`);

export const frameworkVersionNotFound = (id: string, version: number) =>
  notFound('framework_version_not_found', `Framework "${id}" has no version ${version}`);

export const kloeNotFound = (id: string, ref: string) =>
  notFound('kloe_not_found', `Framework "${id}" has no KLOE "${ref}"`);

/** A framework file that cannot be imported; nothing was written. */
export const invalidFrameworkFile = (message: string, problems: FieldProblem[] = []) =>
  new AppError('invalid_framework_file', 422, message, problems);
