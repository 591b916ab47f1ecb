/**
 * One rate limit for every API call (and /health), per caller: a signed-in person or token by their account,
 * anyone else by address. Every answer carries the draft IETF RateLimit-Limit, RateLimit-Remaining and
 * RateLimit-Reset headers; past the limit, 429 `rate_limited` with Retry-After. Counted by
 * @fastify/rate-limit in the database (src/web/rate-limit-store.ts), so one count holds across every worker
 * and node. Sign-in has its own, stricter limit (sign-in.pages.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const LABELS = {
  rateLimit: 'ratelimit-limit',
  rateRemaining: 'ratelimit-remaining',
  rateReset: 'ratelimit-reset',
  retryAfter: 'retry-after',
};

/** Whose allowance a request uses. */
export function callerKey(request: FastifyRequest): string {
  return request.actor?.kind === 'user' ? `user:${request.actor.userId}` : `ip:${request.ip}`;
}

export const isLimitedPath = (url: string) =>
  (url.startsWith('/api/') && !url.startsWith('/api/docs')) || /^\/health(\?|$)/.test(url);

export function registerApiRateLimit(app: FastifyInstance, options: { requestsPerMinute: number }): void {
  if (options.requestsPerMinute <= 0) return;
  const limiter = app.rateLimit({
    max: options.requestsPerMinute,
    timeWindow: 60_000,
    keyGenerator: callerKey,
    labels: LABELS,
    addHeaders: { [LABELS.rateLimit]: true, [LABELS.rateRemaining]: true, [LABELS.rateReset]: true },
    addHeadersOnExceeding: { [LABELS.rateLimit]: true, [LABELS.rateRemaining]: true, [LABELS.rateReset]: true },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError(
        'rate_limited',
        429,
        `Too many requests: ${context.max} a minute are allowed. Try again in ${seconds} seconds.`,
        [],
        { retryAfter: seconds },
      );
    },
  } as Parameters<FastifyInstance['rateLimit']>[0]);
  app.addHook('onRequest', async (request, reply) => {
    if (isLimitedPath(request.url)) await limiter.call(app, request, reply);
  });
}
