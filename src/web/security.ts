/**
 * Browser-facing hardening, in one place: security headers with a Content-Security-Policy that allows
 * no inline script without a per-response nonce, HSTS when kloe is served over https, CSRF tokens on
 * every form post, and the rate limiter that sign-in uses.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { wantsHtml } from './error-handler.js';

export const CSRF_FIELD = '_csrf';

export async function registerSecurity(app: FastifyInstance, options: { secret: string; https: boolean }) {
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.https ? [] : null,
      },
    },
    // Strict-Transport-Security only means something (and only is safe to send) behind TLS.
    hsts: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  await app.register(fastifyCookie, { secret: options.secret });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'kloe.csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: options.https },
    getToken: (request) => (request.body as Record<string, string> | undefined)?.[CSRF_FIELD],
  });
  // Every state-changing form post carries the token; JSON API calls are protected by SameSite cookies
  // and by needing a JSON content type (or by an API token, which a browser never sends on its own).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !wantsHtml(request)) return done();
    // On a bad or missing token the plugin sends a FST_CSRF_* error, which the error handler words for people.
    app.csrfProtection(request, reply, done);
  });

  await app.register(fastifyRateLimit, { global: false });
}
