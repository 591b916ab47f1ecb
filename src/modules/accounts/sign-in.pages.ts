/** Sign in and sign out, as pages (the API uses tokens instead). */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formErrorsFrom } from '../../web/form-errors.js';
import { signInBody } from './accounts.schemas.js';
import { safeNext } from './safe-next.js';
import type { SignInService } from './sign-in.service.js';
import { SIGNED_OUT_PATH } from './sso.provider.js';
import type { SsoService } from './sso.service.js';

const INVALID = 'Enter a correct email address and password';

/** How long to wait, in words: whole seconds under two minutes, else whole minutes (rounded up). */
export function waitMessage(until: Date, now = new Date()): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many attempts to sign in. Wait ${wait}, then try again.`;
}

/** For a person an administrator has locked out (single sign-on shows it; the password path throttles instead). */
export function lockedMessage(until: Date): string {
  const time = until.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  return `This account is locked after too many failed sign-in attempts. Try again after ${time}, or ask an administrator to reset your password.`;
}

export interface SignInView {
  next: string;
  email?: string;
  /** The single sign-on button's name, when single sign-on is configured. */
  ssoName: string | undefined;
  /** One problem, in the error summary: `email` for the password form, `sso` for the single sign-on button. */
  problem?: { field: 'email' | 'sso'; message: string };
  signedOut?: boolean;
}

/** The sign-in page, for this module's routes and the single sign-on ones (sso.pages.ts). */
export function renderSignIn(reply: FastifyReply, view: SignInView): FastifyReply {
  return reply.render('accounts/views/sign-in.njk', {
    pageTitle: 'Sign in',
    values: { next: view.next, email: view.email },
    sso: view.ssoName ? { name: view.ssoName } : undefined,
    signedOut: view.signedOut,
    errors: view.problem ? formErrorsFrom([view.problem]) : undefined,
  });
}

export function registerSignInPages(
  app: FastifyInstance,
  deps: { signIn: SignInService; attemptsPerMinute: number; sso?: SsoService | undefined; baseUrl: string },
): void {
  const ssoName = deps.sso?.name;
  const access = 'public' as const;
  const hide = { hide: true } as const;

  app.get('/sign-in', { schema: hide, config: { access } }, async (request, reply) => {
    const query = request.query as { next?: string; signedOut?: string };
    if (request.actor.kind === 'user') return reply.redirect(safeNext(query.next, deps.baseUrl), 303);
    return renderSignIn(reply, {
      next: safeNext(query.next, deps.baseUrl),
      ssoName,
      signedOut: query.signedOut === '1',
    });
  });

  app.post(
    '/sign-in',
    // A burst limit per address, in this process; the sign-in service's throttle (in the database, shared by
    // every process) slows guessing per email, per address and per both.
    { schema: hide, config: { access, rateLimit: { max: deps.attemptsPerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = signInBody.parse(request.body ?? {});
      const next = safeNext(body.next, deps.baseUrl);
      const outcome = await deps.signIn.signIn(body.email, body.password, fromNodeHeaders(request.headers), request.ip);
      if (outcome.ok) {
        for (const cookie of outcome.setCookies) reply.header('set-cookie', cookie);
        return reply.redirect(next, 303);
      }
      if (outcome.reason === 'wait') {
        const seconds = Math.max(1, Math.ceil((outcome.until.getTime() - Date.now()) / 1000));
        reply.status(429).header('retry-after', String(seconds));
      } else reply.status(401);
      return renderSignIn(reply, {
        next,
        email: body.email,
        ssoName,
        // One message, as in GOV.UK's sign-in pattern: it must not say which of the two was wrong.
        problem: { field: 'email', message: outcome.reason === 'wait' ? waitMessage(outcome.until) : INVALID },
      });
    },
  );

  app.post('/sign-out', { schema: hide, config: { access } }, async (request, reply) => {
    // A session single sign-on made is ended at the provider too, when it offers that (RP-initiated logout).
    const sessionId = request.actor.kind === 'user' ? request.actor.sessionId : null;
    const atProvider = sessionId && deps.sso ? await deps.sso.signOutUrl(sessionId) : undefined;
    for (const cookie of await deps.signIn.signOut(fromNodeHeaders(request.headers)))
      reply.header('set-cookie', cookie);
    return reply.redirect(atProvider ?? SIGNED_OUT_PATH, 303);
  });
}
