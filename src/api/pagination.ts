/**
 * One pagination style for every API list: `limit` and `offset` in the query, `total`, `limit` and `offset`
 * in the answer next to the items, and an RFC 8288 `Link` header with the `first`, `prev` and `next` pages,
 * added to any answer that carries the three numbers (so a list route only has to return them).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** The query of a paged list; a module may narrow the maximum. */
export function pageQuery(options: { defaultLimit?: number; maxLimit?: number } = {}) {
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(options.maxLimit ?? 200)
      .default(options.defaultLimit ?? 50)
      .describe('Items per page'),
    offset: z.coerce.number().int().min(0).default(0).describe('Items to skip'),
  });
}

/** The numbers every paged answer carries beside its items. */
export const pageFields = {
  total: z.number().int().describe('Items in the whole list'),
  limit: z.number().int(),
  offset: z.number().int(),
};

/** One page of a list loaded whole (one the route needs whole anyway), with the numbers beside it. */
export function pageOf<T>(all: T[], page: { limit: number; offset: number }) {
  return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, ...page };
}

function linkTo(request: FastifyRequest, offset: number, limit: number): string {
  const url = new URL(request.url, 'http://kloe.invalid');
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('offset', String(offset));
  return `${url.pathname}${url.search}`;
}

export function linkHeader(request: FastifyRequest, page: { total: number; limit: number; offset: number }): string {
  const { total, limit, offset } = page;
  const links = [`<${linkTo(request, 0, limit)}>; rel="first"`];
  if (offset > 0) links.push(`<${linkTo(request, Math.max(0, offset - limit), limit)}>; rel="prev"`);
  if (offset + limit < total) links.push(`<${linkTo(request, offset + limit, limit)}>; rel="next"`);
  return links.join(', ');
}

export function registerPaginationLinks(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || !request.url.startsWith('/api/')) return payload;
    const page = payload as { total?: unknown; limit?: unknown; offset?: unknown } | null;
    if (page && typeof page.total === 'number' && typeof page.limit === 'number' && typeof page.offset === 'number')
      reply.header('link', linkHeader(request, { total: page.total, limit: page.limit, offset: page.offset }));
    return payload;
  });
}
