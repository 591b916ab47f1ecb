/**
 * Enforcing `config.access` (see actor.ts), and a read-only API token's scope on every route. A route registered without it makes buildApp fail, so a
 * new route can never be born unprotected; the route matrix test then walks every route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { wantsHtml } from '../../web/error-handler.js';
import type { Access } from './actor.js';

/** What a caller whose role a route does not admit is told (the route-matrix test tells it from a handler's own refusals). */
export const ROLE_REFUSED = 'You do not have permission to do this';

/** The methods a read-only API token may use: they change nothing. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes that belong to libraries (static files, API documentation) and are public by nature. */
const LIBRARY_ROUTE = /^\/(assets|api\/docs)(\/|$)/;

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with what it requires: what the route matrix test walks. */
    routeAccess: RouteAccess[];
  }
}

export function registerAccessControl(app: FastifyInstance): void {
  const registry: RouteAccess[] = [];
  app.decorate('routeAccess', registry);
  app.addHook('onRoute', (route) => {
    if (LIBRARY_ROUTE.test(route.url)) {
      route.config = { ...(route.config ?? {}), access: 'public' };
    } else if (!route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access`);
    }
    for (const method of [route.method].flat())
      registry.push({ method, url: route.url, access: route.config!.access! });
  });

  // preValidation: before the body is validated, so that a caller who may not use a route learns nothing of its shape.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.actor.kind === 'user' && request.actor.token?.scope === 'read' && !READS.has(request.method)) {
      throw new AppError(
        'token_read_only',
        403,
        'This API token may only read: make a read and write token to change things',
      );
    }
    const access = request.routeOptions.config.access as Access | undefined;
    if (access === undefined || access === 'public') return; // undefined: Fastify's own 404 route
    if (request.actor.kind !== 'user') {
      if (wantsHtml(request) && request.method === 'GET') {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      }
      throw new AppError('sign_in_required', 401, 'Sign in, or send an API token as "Authorization: Bearer …"');
    }
    if (access !== 'signed-in' && !access.roles.includes(request.actor.role)) {
      throw new AppError('forbidden', 403, ROLE_REFUSED);
    }
  });
}
