/**
 * Browser-facing hardening, in one place: security headers with a Content-Security-Policy that allows
 * no inline script without a per-response nonce, HSTS when kloe is served over https, CSRF tokens on
 * every form post, and the rate limiter that sign-in uses.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { wantsHtml } from './error-handler.js';

export const CSRF_FIELD = '_csrf';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's Content-Security-Policy nonce: an inline script runs only if it carries it. */
    cspNonce: string;
  }
}

/** The nonce of each response in flight, for the CSP header that helmet writes. */
const nonces = new WeakMap<ServerResponse, string>();

/** 128-bit nonces, cut from a random block drawn 256 at a time (one call to the generator, not one each). */
let randomBlock = Buffer.alloc(0);
let used = 0;
function nextNonce(): string {
  if (used + 16 > randomBlock.length) {
    randomBlock = randomBytes(16 * 256);
    used = 0;
  }
  used += 16;
  return randomBlock.toString('base64', used - 16, used);
}

export async function registerSecurity(
  app: FastifyInstance,
  options: {
    secret: string;
    https: boolean;
    /** Other origins a form may be sent on to: single sign-on's provider, whose redirect answers a form post. */
    formActionOrigins?: (() => string[]) | undefined;
  },
) {
  const formActionOrigins = options.formActionOrigins;
  // One helmet middleware for the life of the server, its nonce read per response: @fastify/helmet built a
  // new one on each request, reading every directive again (about 0.3 ms of a remembered page's 5 ms).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The nonce lets GOV.UK's template add its one inline script (the js-enabled class).
        scriptSrc: ["'self'", (_request, response) => `'nonce-${nonces.get(response)}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // Chromium holds the redirect that answers a form post to form-action too: "Sign in with …" posts to
        // kloe, which answers 303 to the provider's authorisation endpoint.
        formAction: formActionOrigins ? ["'self'", () => formActionOrigins().join(' ')] : ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.https ? [] : null,
      },
    },
    // Strict-Transport-Security only means something (and only is safe to send) behind TLS.
    hsts: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  app.decorateReply('cspNonce', '');
  app.addHook('onRequest', (request, reply, done) => {
    reply.cspNonce = nextNonce();
    nonces.set(reply.raw, reply.cspNonce);
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
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
