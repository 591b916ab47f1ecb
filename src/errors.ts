/**
 * Errors that mean "the request cannot be done", each with a stable code. The error handler in
 * src/web/error-handler.ts turns them into problem+json (API) or an error page (pages); anything
 * else is a bug and answers 500 without details.
 */
export interface FieldProblem {
  /** Dotted path of the offending field, or "line N" for an imported file. */
  field: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly problems: FieldProblem[] = [],
    /** Extension members of the problem document (RFC 9457 §3.2), e.g. the version that won a conflict. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new AppError(code, 404, message);
export const badRequest = (code: string, message: string, problems: FieldProblem[] = []) =>
  new AppError(code, 400, message, problems);
