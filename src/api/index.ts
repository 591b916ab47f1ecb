/**
 * What the whole JSON API shares: its OpenAPI document and the conventions every route follows without
 * declaring them (ETag/If-Match, a rate limit, Idempotency-Key, pagination links). See docs/api.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { registerIdempotency } from './idempotency.js';
import { registerIfMatch } from './if-match.js';
import { registerOpenApi } from './openapi.js';
import { registerPaginationLinks } from './pagination.js';
import { registerApiRateLimit } from './rate-limit.js';

export { OPERATION_IDS } from './operation-ids.js';
export { openApiPath } from './openapi.js';
export { pageFields, pageOf, pageQuery } from './pagination.js';

/** Call before any API route is added: the conventions find their routes as they are registered. */
export async function registerApi(
  app: FastifyInstance,
  options: { db: Database; baseUrl: string; requestsPerMinute: number },
): Promise<void> {
  const { versioned } = registerIfMatch(app);
  registerApiRateLimit(app, { requestsPerMinute: options.requestsPerMinute });
  registerIdempotency(app, { db: options.db });
  registerPaginationLinks(app);
  await registerOpenApi(app, { baseUrl: options.baseUrl, requestsPerMinute: options.requestsPerMinute, versioned });
}
