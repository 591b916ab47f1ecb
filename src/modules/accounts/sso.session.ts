/**
 * The one piece of single sign-on that stays inside better-auth: making the session once kloe has checked
 * the provider's ID token and decided who the person is (sso.service.ts). A server-only endpoint, never on
 * better-auth's HTTP router, so the session and its signed cookie are exactly those of a password sign-in
 * (and better-auth's session hook still refuses a disabled or locked person).
 */
import { createAuthEndpoint } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import type { BetterAuthPlugin } from 'better-auth';
import { z } from 'zod';

export function ssoSessionPlugin() {
  return {
    id: 'kloe-sso-session',
    endpoints: {
      createSsoSession: createAuthEndpoint.serverOnly(
        { method: 'POST', body: z.object({ userId: z.string().min(1) }) },
        async (ctx) => {
          const user = await ctx.context.internalAdapter.findUserById(ctx.body.userId);
          if (!user) throw new Error(`No person ${ctx.body.userId} to make a session for`);
          const session = await ctx.context.internalAdapter.createSession(user.id);
          await setSessionCookie(ctx, { session, user });
          return ctx.json({ sessionId: session.id });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
