/**
 * Single sign-on's routes: the sign-in page's button (a form post, so it carries a CSRF token), which
 * binds the sign-in to this browser with a signed cookie and sends it to the provider; the provider's
 * redirect back, which says plainly why a sign-in was refused and logs the reason (never a token); and
 * the provider's back-channel logout, a server-to-server post authenticated by its signed logout token.
 */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { safeNext } from './safe-next.js';
import { lockedMessage, renderSignIn } from './sign-in.pages.js';
import { SSO_BACKCHANNEL_LOGOUT_PATH, SSO_CALLBACK_PATH } from './sso.provider.js';
import type { SsoFailure, SsoService } from './sso.service.js';

/** A name at the start of a sentence: the default one, "single sign-on", is written in lower case. */
const sentence = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const OTHERWISE = 'or sign in with your email address and password';
/** Binds a sign-in in progress to the browser that started it; sent back only to the callback. */
const STATE_COOKIE = 'kloe.sso_state';

function explain(failure: SsoFailure, name: string): { status: number; message: string } {
  switch (failure.reason) {
    case 'not_set_up':
      return {
        status: 403,
        message: failure.emailVerified
          ? `Your organisation account is not set up in kloe: ask an administrator to add ${failure.email}`
          : `Your organisation account is not set up in kloe, and your organisation did not confirm that ${failure.email} is yours. Ask an administrator to add ${failure.email} and to have ${name} confirm email addresses (the email_verified claim), ${OTHERWISE}.`,
      };
    case 'unverified_email':
      return {
        status: 403,
        message: `Your organisation did not confirm that ${failure.email} is yours, so kloe cannot sign you in with ${name}. Ask an administrator, ${OTHERWISE}.`,
      };
    case 'missing_email':
      return {
        status: 403,
        message: `${sentence(name)} did not send your email address (the email claim), so kloe cannot tell who you are. Ask an administrator to have ${name} send it (in Microsoft Entra ID: add the optional email claim to the ID token), ${OTHERWISE}.`,
      };
    case 'disabled':
      return {
        status: 403,
        message: 'Your kloe account has been disabled. Ask an administrator if you need it again.',
      };
    case 'locked':
      return { status: 423, message: lockedMessage(failure.until) };
    case 'weak_authentication':
      return {
        status: 403,
        message: `kloe needs you to sign in with ${name} using multi-factor authentication, and ${name} did not confirm that you did. Sign in with ${name} again with your second factor, or ask an administrator.`,
      };
    case 'no_role':
      return {
        status: 403,
        message: `Your organisation has not given you a role in kloe (kloe reads it from ${name}). Ask an administrator, ${OTHERWISE}.`,
      };
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
    case 'unavailable':
      return {
        status: 503,
        message: `${sentence(name)} did not answer. Try again later, ${OTHERWISE}.`,
      };
    case 'failed':
      return { status: 502, message: `Signing in with ${name} did not work. Try again, ${OTHERWISE}.` };
  }
}

function browserState(request: FastifyRequest): string | undefined {
  const raw = request.cookies[STATE_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  return unsigned?.valid ? (unsigned.value ?? undefined) : undefined;
}

export function registerSsoPages(
  app: FastifyInstance,
  deps: { sso: SsoService; attemptsPerMinute: number; secureCookies: boolean; baseUrl: string },
): void {
  const { sso } = deps;
  // Each start stores a state in the database and each callback calls the provider: limited like password sign-in.
  const config = { access: 'public', rateLimit: { max: deps.attemptsPerMinute, timeWindow: '1 minute' } } as const;
  const schema = { hide: true } as const;
  // SameSite=Lax: the provider's redirect back is a top-level GET from another site, which Lax cookies follow.
  const cookie = { path: SSO_CALLBACK_PATH, httpOnly: true, sameSite: 'lax', secure: deps.secureCookies } as const;

  app.post('/sign-in/sso', { schema, config }, async (request, reply) => {
    const body = (request.body ?? {}) as { next?: string; login_hint?: string };
    const next = safeNext(body.next, deps.baseUrl);
    // The address typed on the sign-in page, if it looks like one: the provider need not ask for it again.
    const loginHint = z.email().max(254).safeParse(body.login_hint?.trim()).data;
    const started = await sso.start(next, loginHint);
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
    reply.setCookie(STATE_COOKIE, started.state, { ...cookie, signed: true, maxAge: 10 * 60 });
    return reply.redirect(started.url, 303);
  });

  app.get(SSO_CALLBACK_PATH, { schema, config }, async (request, reply) => {
    const search = request.url.slice(SSO_CALLBACK_PATH.length);
    const outcome = await sso.finish(search, browserState(request), fromNodeHeaders(request.headers));
    reply.clearCookie(STATE_COOKIE, cookie);
    if (outcome.ok) {
      for (const setCookie of outcome.setCookies) reply.header('set-cookie', setCookie);
      request.log.info({ sso: 'signed_in', subject: outcome.subject }, 'single sign-on');
      return reply.redirect(safeNext(outcome.next, deps.baseUrl), 303);
    }
    // Every refusal with its reason and what the provider did (an OAuth error code, a timeout), never a token.
    request.log.warn({ sso: outcome }, 'single sign-on refused');
    const { status, message } = explain(outcome, sso.name);
    return renderSignIn(reply.status(status), { next: '/', ssoName: sso.name, problem: { field: 'sso', message } });
  });
}

/** The provider's back-channel logout (a JSON-free form post under /api/, so outside the forms' CSRF check). */
export function registerSsoBackChannelLogout(app: FastifyInstance, deps: { sso: SsoService }): void {
  app.post(
    SSO_BACKCHANNEL_LOGOUT_PATH,
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const token = (request.body as { logout_token?: unknown } | undefined)?.logout_token;
      if (typeof token !== 'string' || !token) {
        throw new AppError('invalid_logout_token', 400, 'A back-channel logout needs a logout_token', [
          { field: 'logout_token', message: 'is missing' },
        ]);
      }
      const outcome = await deps.sso.backChannelLogout(token);
      if (!outcome.ok) {
        request.log.warn(
          { sso: 'backchannel_logout_refused', detail: outcome.detail },
          'single sign-on logout refused',
        );
        if (outcome.unavailable) throw new AppError('provider_unavailable', 503, 'The provider cannot be reached');
        throw new AppError('invalid_logout_token', 400, 'The logout token does not verify', [
          { field: 'logout_token', message: outcome.detail },
        ]);
      }
      request.log.info({ sso: 'backchannel_logout', ended: outcome.ended }, 'single sign-on logout');
      return reply.header('cache-control', 'no-store').status(200).send();
    },
  );
}
