import { AppError, notFound, type FieldProblem } from '../../errors.js';

export const itemNotFound = (id: string) => notFound('evidence_not_found', `No evidence item with id "${id}"`);
export const fileNotFound = (id: string) => notFound('evidence_file_not_found', `No file with id "${id}" on this item`);
/** Only PDFs and images are shown inside the page; other files are previewed as their text. */
export const fileNotInline = (name: string) =>
  notFound('evidence_file_not_inline', `“${name}” is not a PDF or an image: its preview shows its text`);
export const linkNotFound = (id: string) => notFound('evidence_link_not_found', `No link with id "${id}" on this item`);
export const requestNotFound = (id: string) =>
  notFound('evidence_request_not_found', `No evidence request with id "${id}"`);

/** A file refused for its content: every file is named, and nothing of the upload is kept. */
export const filesRefused = (problems: FieldProblem[]) =>
  new AppError(
    'file_refused',
    415,
    problems.length === 1 ? problems[0]!.message : `${problems.length} files were refused; nothing was saved`,
    problems,
  );

/** `field`: the form field the file came in (evidence forms take several files in "files"). */
export const badTarget = (target: string) =>
  new AppError('invalid_request', 400, `"${target}" is not a KLOE or statement of this assessment`, [
    { field: 'target', message: `Choose a KLOE or statement of this assessment ("${target}" is not one)` },
  ]);

export const requestAnswered = () =>
  new AppError('evidence_request_answered', 409, 'This request has already been answered');

/** Accepting a suggestion links the item as supporting the statement: not when it is linked as contradicting it. */
export const contradictedTarget = (statementRef: string) =>
  new AppError(
    'suggestion_contradicted',
    409,
    `This evidence is linked as contradicting ${statementRef}, so it cannot be accepted as supporting it`,
    [
      {
        field: 'suggestions',
        message: `This evidence contradicts ${statementRef}: remove that link first to accept it as support`,
      },
    ],
  );
