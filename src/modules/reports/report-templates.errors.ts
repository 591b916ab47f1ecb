import { AppError, notFound } from '../../errors.js';

export const templateNotFound = (id: string) =>
  notFound('report_template_not_found', `No report template with id "${id}" that you may use here`);

/** A template refused at upload: every reason, each naming the placeholder at fault. Nothing is kept. */
export const templateRefused = (problems: string[]) =>
  new AppError(
    'template_refused',
    422,
    problems.length === 1 ? problems[0]! : `The template has ${problems.length} problems: ${problems.join('; ')}`,
    problems.map((message) => ({ field: 'file', message })),
  );

/** Not a Word document at all (its bytes say so, whatever its name). */
export const notADocx = (reason: string) =>
  new AppError('file_refused', 415, `The file ${reason}: upload a Word document (DOCX)`, [
    { field: 'file', message: `The file ${reason}: upload a Word document (DOCX)` },
  ]);

export const noTemplateFile = () =>
  new AppError('invalid_request', 400, 'Choose a Word document (DOCX) to upload', [
    { field: 'file', message: 'Choose a Word document (DOCX) to upload' },
  ]);

/** A stored template that cannot be filled with this report's data. */
export const templateFillFailed = (name: string, reason: string) =>
  new AppError('template_fill_failed', 422, `The template "${name}" could not be filled: ${reason}`, [
    { field: 'template', message: reason },
  ]);

export const templateOnlyForDocx = () =>
  new AppError('invalid_request', 400, 'A template can only be used with the docx format', [
    { field: 'template', message: 'Leave out template, or ask for format=docx' },
  ]);

export const templateForbidden = () => new AppError('forbidden', 403, 'You may not change this template');

export const sharedForbidden = () =>
  new AppError('forbidden', 403, 'Only administrators add shared templates', [
    { field: 'organisationId', message: 'Choose your own organisation' },
  ]);
