/**
 * ETag and If-Match for the optimistic concurrency that the API's `version` field carries. A write whose body
 * takes a `version` also takes it as `If-Match: "<version>"` (the body's field may then be left out; if both
 * are sent they must agree), and then answers a lost race with 412 instead of 409, with the same
 * `edit_conflict` problem. Reads of such a resource and the writes answer `ETag: "<version>"` (the field stays
 * in the body too). Found from the routes' schemas, so no route has to declare it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The version named by If-Match, when the request sent one. */
    ifMatchVersion?: number;
  }
}

/** Whether a route's zod body schema takes a `version`. */
function takesVersion(schema: unknown): boolean {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  return s instanceof z.ZodObject && 'version' in s.shape;
}

/** "3" (or W/"3": a weak tag names the same version here) → 3; "*" → undefined (any version). */
export function versionOf(header: string): number | undefined {
  const value = header.trim();
  if (value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!match)
    throw new AppError('invalid_request', 400, 'If-Match must be the ETag a read answered, such as "3"', [
      { field: 'headers.if-match', message: 'is not an ETag of this API ("<version>")' },
    ]);
  return Number(match[1]);
}

export function registerIfMatch(app: FastifyInstance) {
  /** "METHOD url" of the writes that take a version, and the urls whose reads answer an ETag. */
  const writes = new Set<string>();
  const urls = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || !takesVersion(route.schema?.body)) return;
    for (const method of [route.method].flat()) writes.add(`${method} ${route.url}`);
    urls.add(route.url);
  });
  const versioned = (method: string, url: string) =>
    writes.has(`${method} ${url}`) || (method === 'GET' && urls.has(url));
  const routeOf = (request: FastifyRequest) => `${request.method} ${request.routeOptions.url}`;

  app.addHook('preValidation', async (request) => {
    const header = request.headers['if-match'];
    if (typeof header !== 'string' || !UNSAFE.has(request.method) || !writes.has(routeOf(request))) return;
    const version = versionOf(header);
    if (version === undefined) return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.version !== undefined && body.version !== version)
      throw new AppError('invalid_request', 400, 'If-Match and the body’s version name different versions', [
        { field: 'headers.if-match', message: `names version ${version}, the body version ${String(body.version)}` },
      ]);
    request.body = { ...body, version };
    request.ifMatchVersion = version;
  });

  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    if (!payload || typeof payload !== 'object') return payload;
    const body = payload as Record<string, unknown>;
    if (reply.statusCode === 409 && body.code === 'edit_conflict' && request.ifMatchVersion !== undefined) {
      reply.code(412);
      return { ...body, status: 412, title: 'Precondition failed' };
    }
    const ok = reply.statusCode >= 200 && reply.statusCode < 300;
    const url = request.routeOptions.url;
    if (ok && url && versioned(request.method, url) && typeof body.version === 'number' && !reply.hasHeader('etag'))
      reply.header('etag', `"${body.version}"`);
    return payload;
  });

  return { versioned };
}
