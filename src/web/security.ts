/**
 * Browser-facing hardening, in one place: security headers with a Content-Security-Policy that allows
 * no inline script without a per-response nonce, HSTS when kloe is served over https, CSRF tokens on
 * every form post and on every API call made with the session cookie, and the rate limiter that sign-in uses.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Database } from '../db/database.js';
import { wantsHtml } from './error-handler.js';
import { databaseRateLimitStore } from './rate-limit-store.js';

export const CSRF_FIELD = '_csrf';
/** The header that carries the CSRF token on API calls made with the session cookie (pages may use it too). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What a CSRF token is bound to: the session it was issued in. A token pair fetched without a session (or in
 * another one) and planted in a victim's browser from a sibling subdomain is then refused with their session.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  const actor = request.actor;
  return actor?.kind === 'user' && actor.sessionId ? `session:${actor.sessionId}` : 'no-session';
}

/** Pages take the token from the form's field or the header; the API only from the header. */
function csrfToken(request: FastifyRequest): string | undefined {
  const field = wantsHtml(request) ? (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] : undefined;
  const token = field ?? request.headers[CSRF_HEADER];
  return typeof token === 'string' ? token : undefined;
}

/**
 * An unsafe API call authenticated by the session cookie must carry the token. Calls with a bearer token are
 * not at risk (a browser never adds that header on its own); anonymous calls reach no unsafe public route.
 */
function apiCallNeedsToken(request: FastifyRequest): boolean {
  return (
    !SAFE_METHODS.has(request.method) &&
    !wantsHtml(request) &&
    request.actor?.kind === 'user' &&
    request.actor.via === 'session'
  );
}

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
    /** Where the rate limits count requests (shared by every node); in this process's memory when absent. */
    db?: Database;
  },
) {
  const formActionOrigins = options.formActionOrigins;
  // One helmet middleware for the life of the server, its nonce read per response: @fastify/helmet builds a
  // new one on each request, reading every directive again, a noticeable share of a remembered page's cost.
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
    getToken: csrfToken,
    getUserInfo: csrfUserInfo,
    // Keys the hash of the session bound into each token; derived, so that it is not the cookie-signing key itself.
    csrfOpts: { hmacKey: createHmac('sha256', options.secret).update('kloe csrf token binding').digest() },
  });
  // On a bad or missing token the plugin sends a FST_CSRF_* error, which the error handler words for the caller.
  // SameSite=Lax does not stop a form on a same-site origin (another port, a sibling subdomain), and a form can
  // post urlencoded, multipart or text/plain bodies to the API. The API's token is a header, so it is checked
  // before the body is validated or an upload read (the access check has already run: its hook came first).
  app.addHook('preValidation', (request, reply, done) => {
    if (!apiCallNeedsToken(request)) return done();
    app.csrfProtection(request, reply, done);
  });
  // Every state-changing form post carries the token; a multipart form's fields are read in its scope's
  // preValidation hook, so pages are checked after it.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || !wantsHtml(request)) return done();
    app.csrfProtection(request, reply, done);
  });

  await app.register(fastifyRateLimit, {
    global: false,
    // A database that refuses the counter's write (read only after a failover, a full disk) lets the request
    // through rather than failing every page; /health reports the database as unwritable.
    skipOnError: true,
    ...(options.db ? { store: databaseRateLimitStore(options.db) } : {}),
  });
}
