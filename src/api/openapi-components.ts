/**
 * The shared pieces of the OpenAPI document (problem responses, convention headers and parameters), each
 * put in `components` only when an operation refers to it, so that no component is left unused.
 */
const problem = {
  type: 'object',
  description: 'application/problem+json (RFC 9457) with a stable `code`',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable: what a program should test' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'The request fields at fault, and why',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const LIBRARY = {
  schemas: { Problem: problem },
  responses: {
    BadRequest: problemResponse('A parameter or the body is invalid (`invalid_request`, naming each field and why)'),
    Unauthorized: problemResponse('No API token or session was sent, or it has expired (`sign_in_required`)'),
    Forbidden: problemResponse(
      'The caller may not do this: a missing role (`forbidden`), a read-only token on a change (`token_read_only`) or a missing CSRF token with the session cookie (`invalid_csrf_token`)',
    ),
    NotFound: problemResponse('No such record, or not one the caller may see'),
    IdempotencyKeyInUse: problemResponse(
      'A request with the same Idempotency-Key is still being answered (`idempotency_key_in_use`): try again shortly',
    ),
    PreconditionFailed: problemResponse(
      'The If-Match version is not the current one (`edit_conflict`, with the current version): someone saved first',
    ),
    IdempotencyKeyReused: problemResponse(
      'The Idempotency-Key was used before with a different request (`idempotency_key_reused`); nothing was done',
    ),
    TooManyRequests: {
      ...problemResponse('The caller has used up the rate limit (`rate_limited`); try again after Retry-After seconds'),
      headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
    },
  },
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Any unique string (a UUID) chosen by the client. Sending the same request again with the same key within 24 hours answers the first response again instead of creating twice; the same key with a different body answers 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    IfMatch: {
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'The ETag of the version read (as GET answered it). Stands in for the body’s `version`; 412 when someone saved since.',
      schema: { type: 'string' },
    },
  },
  headers: {
    ETag: { description: 'The version of the resource, for If-Match', schema: { type: 'string' } },
    Link: {
      description: 'RFC 8288 links to the `first`, `prev` and `next` pages of the list',
      schema: { type: 'string' },
    },
    'RateLimit-Limit': { description: 'Requests the caller may make in each window', schema: { type: 'integer' } },
    'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
    'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
    'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
  },
} satisfies Record<string, Record<string, unknown>>;

/** The library's components that the document refers to, by kind. */
export function componentsUsed(document: unknown): Record<string, Record<string, unknown>> {
  // A component may refer to another (TooManyRequests → Retry-After, responses → Problem): twice covers it.
  let text = JSON.stringify(document);
  const used: Record<string, Record<string, unknown>> = {};
  for (let pass = 0; pass < 2; pass++) {
    for (const [kind, entries] of Object.entries(LIBRARY)) {
      for (const [name, value] of Object.entries(entries)) {
        if (text.includes(`"#/components/${kind}/${name}"`)) (used[kind] ??= {})[name] = value;
      }
    }
    text = JSON.stringify(used);
  }
  return used;
}
