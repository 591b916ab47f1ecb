/**
 * One error handler for the whole app. API routes answer problem+json (RFC 9457) with a stable
 * code and, where a request field is at fault, the field and the reason; pages answer an HTML
 * error page. A full disk answers 507 saying so (src/storage/storage-full.ts). Unknown errors are logged and answered as a bare 500: no stack or message leaks.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { loggableError } from '../db/loggable-error.js';
import { AppError, type FieldProblem } from '../errors.js';
import { isStorageFull, storageFull } from '../storage/storage-full.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
  507: 'Insufficient storage',
};

function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const base = { instance: request.url };
  if (error instanceof AppError) {
    return {
      ...base,
      type: `/api/problems/${error.code}`,
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.problems.length > 0 ? { errors: error.problems } : {}),
      ...error.extensions,
    };
  }
  if (isStorageFull(error)) return toProblem(storageFull(), request);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      // e.g. validationContext "querystring" + instancePath "/version" → "querystring.version"
      field: [error.validationContext, ...v.instancePath.split('/')].filter(Boolean).join('.'),
      message: v.message ?? 'is invalid',
    }));
    return {
      ...base,
      type: '/api/problems/invalid_request',
      title: TITLES[400]!,
      status: 400,
      detail: `${errors[0]!.field}: ${errors[0]!.message}`,
      code: 'invalid_request',
      errors,
    };
  }
  if ('code' in error && typeof error.code === 'string' && error.code.startsWith('FST_CSRF_')) {
    return toProblem(
      wantsHtml(request)
        ? new AppError(
            'invalid_csrf_token',
            403,
            'This form has expired or did not come from kloe. Go back, reload the page and try again.',
          )
        : new AppError(
            'invalid_csrf_token',
            403,
            'A change made with the session cookie must send this session’s CSRF token in the X-CSRF-Token header (the csrf-token meta tag of any kloe page); or use an API token.',
            [{ field: 'headers.x-csrf-token', message: 'is missing or was not issued for this session' }],
          ),
      request,
    );
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, body too large, wrong content type…).
    const code = ('code' in error && typeof error.code === 'string' ? error.code : 'client_error').toLowerCase();
    return {
      ...base,
      type: `/api/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
      code,
    };
  }
  return {
    ...base,
    type: '/api/problems/internal_error',
    title: TITLES[500]!,
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; please try again.',
    code: 'internal_error',
  };
}

export function wantsHtml(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!; // "/health?x=1" is still the health check
  return !path.startsWith('/api/') && path !== '/health';
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    // A failed query's parameters (people's emails, notes, token hashes) never reach the log.
    if (problem.status >= 500) request.log.error({ err: loggableError(error) }, 'request failed');
    // A busy server (server_busy) says when to try again, in the header clients and proxies understand.
    if (typeof problem.retryAfter === 'number') reply.header('retry-after', String(problem.retryAfter));
    if (!wantsHtml(request)) return sendProblem(reply, problem);
    // Field problems that reach here (the text rule refuses a request before its page's handler runs)
    // are listed in the GOV.UK error summary; the browser's Back keeps what the person typed.
    const fields = problem.errors?.map((p) => ({ text: p.field ? `${p.field}: ${p.message}` : p.message }));
    return reply.status(problem.status).render('error.njk', {
      pageTitle: problem.title,
      message: problem.detail,
      status: problem.status,
      errorList: fields,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const problem = toProblem(
      new AppError('route_not_found', 404, `Nothing at ${request.method} ${request.url.split('?')[0]}`),
      request,
    );
    if (!wantsHtml(request)) return sendProblem(reply, problem);
    return reply.status(404).render('error.njk', { pageTitle: 'Page not found', message: problem.detail, status: 404 });
  });
}
