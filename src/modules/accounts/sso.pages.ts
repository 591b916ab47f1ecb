/**
 * Single sign-on's two routes: the sign-in page's button (a form post, so it carries a CSRF token) and
 * the provider's redirect back. Of better-auth's HTTP endpoints only that callback is reachable: the rest
 * of better-auth (password sign-in, sessions) is used in-process by kloe's own services.
 */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance } from 'fastify';
import { safeNext } from './safe-next.js';
import { lockedMessage, renderSignIn } from './sign-in.pages.js';
import { SSO_CALLBACK_PATH } from './sso.provider.js';
import type { SsoFailure, SsoService } from './sso.service.js';

/** A name at the start of a sentence: the default one, "single sign-on", is written in lower case. */
const sentence = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const OTHERWISE = 'or sign in with your email address and password';

function explain(failure: SsoFailure, name: string): { status: number; message: string } {
  switch (failure.reason) {
    case 'not_set_up':
      return {
        status: 403,
        message: failure.email
          ? `Your organisation account is not set up in kloe: ask an administrator to add ${failure.email}`
          : 'Your organisation account is not set up in kloe: ask an administrator to add you',
      };
    case 'unverified_email':
      return {
        status: 403,
        message: `Your organisation did not confirm that ${failure.email ?? 'your email address'} is yours, so kloe cannot sign you in with ${name}. Ask an administrator, ${OTHERWISE}.`,
      };
    case 'disabled':
      return {
        status: 403,
        message: 'Your kloe account has been disabled. Ask an administrator if you need it again.',
      };
    case 'locked':
      return { status: 423, message: lockedMessage(failure.until) };
    case 'cancelled':
      // access_denied: the person said no, or (Entra ID) the application is not assigned to them.
      return {
        status: 401,
        message: `Signing in with ${name} was cancelled, or your organisation did not allow it. Try again, ${OTHERWISE}.`,
      };
    case 'expired':
      return {
        status: 400,
        message: `Your sign-in took too long or was started in another browser. Sign in with ${name} again.`,
      };
    case 'failed':
      return { status: 502, message: `Signing in with ${name} did not work. Try again, ${OTHERWISE}.` };
  }
}

export function registerSsoPages(
  app: FastifyInstance,
  deps: { sso: SsoService; attemptsPerMinute: number; baseUrl: string },
): void {
  const { sso } = deps;
  // Each start stores a state in the database and each callback calls the provider: limited like password sign-in.
  const config = { access: 'public', rateLimit: { max: deps.attemptsPerMinute, timeWindow: '1 minute' } } as const;
  const schema = { hide: true } as const;

  app.post('/sign-in/sso', { schema, config }, async (request, reply) => {
    const next = safeNext((request.body as { next?: string } | undefined)?.next, deps.baseUrl);
    const started = await sso.start(next, fromNodeHeaders(request.headers));
    if (!started.ok) {
      return renderSignIn(reply.status(503), {
        next,
        ssoName: sso.name,
        problem: {
          field: 'sso',
          message: `${sentence(sso.name)} is not available at the moment. Try again later, ${OTHERWISE}.`,
        },
      });
    }
    for (const cookie of started.setCookies) reply.header('set-cookie', cookie);
    return reply.redirect(started.url, 303);
  });

  app.get(SSO_CALLBACK_PATH, { schema, config }, async (request, reply) => {
    const outcome = await sso.finish(request.url, fromNodeHeaders(request.headers));
    // Whatever the outcome, better-auth's cookies go out: the session's, or the expired state cookie.
    for (const cookie of outcome.setCookies) reply.header('set-cookie', cookie);
    if (outcome.ok) return reply.redirect(safeNext(outcome.next, deps.baseUrl), 303);
    // better-auth's own logger is off, so the reason a sign-in failed is logged here (a code, never a token).
    request.log.warn(
      { sso: outcome.reason, code: 'code' in outcome ? outcome.code : undefined },
      'single sign-on refused',
    );
    const { status, message } = explain(outcome, sso.name);
    return renderSignIn(reply.status(status), { next: '/', ssoName: sso.name, problem: { field: 'sso', message } });
  });
}
