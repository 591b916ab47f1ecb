/**
 * Completing one operation of the generated document with what every route of its kind can answer (see
 * openapi.ts). Responses a route describes itself are kept; only their media type becomes
 * application/problem+json for errors, which is what the error handler sends.
 */
import type { Access } from '../modules/accounts/index.js';

export interface RouteFacts {
  key: string;
  method: string;
  path: string;
  access: Access;
  /** An upload: Idempotency-Key is not honoured (its body is not kept to compare). */
  multipart: boolean;
  rateLimited: boolean;
  /** Writes take If-Match for the body's version; reads answer an ETag. */
  versioned: boolean;
  operationId: string | undefined;
}

type Responses = Record<
  string,
  { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }
>;
export type Operation = Record<string, unknown> & {
  responses?: Responses;
  parameters?: unknown[];
  requestBody?: unknown;
};

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
/** What a file answer's body is, by its media type. */
const fileSchema = (type: string) =>
  type === 'application/json'
    ? { type: 'object' }
    : type.startsWith('text/')
      ? { type: 'string' }
      : { type: 'string', contentMediaType: type };

/** Routes that answer a file: their media types, which no zod schema describes. */
const FILE_RESPONSES: Record<string, string[]> = {
  'GET /api/assessments/{id}/report': [
    'text/html',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/pdf',
    'application/json',
    'text/csv',
  ],
  'GET /api/report-templates/{templateId}/file': [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ],
  'GET /api/assessments/{id}/evidence/{itemId}/files/{fileId}': ['application/octet-stream'],
  'GET /api/indicators/organisations/{id}/analysis.csv': ['text/csv'],
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function errorsAsProblems(responses: Responses): void {
  for (const [status, response] of Object.entries(responses)) {
    if (!/^[45]/.test(status) || !response.content?.['application/json']) continue;
    const { 'application/json': json, ...others } = response.content;
    response.content = { 'application/problem+json': json, ...others };
  }
}

function fileResponse(facts: RouteFacts, responses: Responses): void {
  const types = FILE_RESPONSES[facts.key];
  const ok = responses['200'];
  if (!types || (ok && ok.content)) return;
  responses['200'] = {
    description: 'The file',
    content: Object.fromEntries(types.map((type) => [type, { schema: fileSchema(type) }])),
  };
}

/** The responses every route of this kind can give, where the route does not describe them itself. */
function standardResponses(operation: Operation, facts: RouteFacts): Record<string, object> {
  const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  const signedIn = facts.access !== 'public';
  const creates = facts.method === 'POST' && signedIn && !facts.multipart;
  return {
    ...(hasInput ? { 400: ref('responses', 'BadRequest') } : {}),
    ...(signedIn ? { 401: ref('responses', 'Unauthorized') } : {}),
    ...(signedIn && (facts.access !== 'signed-in' || UNSAFE.has(facts.method))
      ? { 403: ref('responses', 'Forbidden') }
      : {}),
    ...(facts.path.includes('{') ? { 404: ref('responses', 'NotFound') } : {}),
    ...(creates ? { 409: ref('responses', 'IdempotencyKeyInUse') } : {}),
    ...(facts.versioned && UNSAFE.has(facts.method) ? { 412: ref('responses', 'PreconditionFailed') } : {}),
    ...(creates ? { 422: ref('responses', 'IdempotencyKeyReused') } : {}),
    ...(facts.rateLimited ? { 429: ref('responses', 'TooManyRequests') } : {}),
  };
}

function successHeaders(operation: Operation, facts: RouteFacts): Record<string, object> {
  const paged = (operation.parameters ?? []).some((p) => (p as { name?: string }).name === 'offset');
  return {
    ...(facts.rateLimited
      ? {
          'RateLimit-Limit': ref('headers', 'RateLimit-Limit'),
          'RateLimit-Remaining': ref('headers', 'RateLimit-Remaining'),
          'RateLimit-Reset': ref('headers', 'RateLimit-Reset'),
        }
      : {}),
    ...(facts.versioned ? { ETag: ref('headers', 'ETag') } : {}),
    ...(paged ? { Link: ref('headers', 'Link') } : {}),
  };
}

export function completeOperation(operation: Operation, facts: RouteFacts): Operation {
  const responses: Responses = { ...operation.responses };
  errorsAsProblems(responses);
  fileResponse(facts, responses);
  for (const [status, response] of Object.entries(standardResponses(operation, facts)))
    responses[status] ??= response as Responses[string];
  const headers = successHeaders(operation, facts);
  for (const [status, response] of Object.entries(responses)) {
    if (status.startsWith('2') && !('$ref' in response) && Object.keys(headers).length > 0)
      responses[status] = { ...response, headers: { ...response.headers, ...headers } };
  }
  const parameters = [
    ...(operation.parameters ?? []),
    ...(facts.method === 'POST' && facts.access !== 'public' && !facts.multipart
      ? [ref('parameters', 'IdempotencyKey')]
      : []),
    ...(facts.versioned && UNSAFE.has(facts.method) ? [ref('parameters', 'IfMatch')] : []),
  ];
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...(facts.operationId ? { operationId: facts.operationId } : {}),
    ...operation,
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: sorted,
  };
}
