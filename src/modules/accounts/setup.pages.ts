/** The first administrator's one-time setup link: choose a password, and be signed in. */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom } from '../../web/form-errors.js';
import type { FirstRunService } from './first-run.service.js';
import type { SignInService } from './sign-in.service.js';

const params = z.object({ token: z.string().min(10).max(100) });
const expired = () => new AppError('setup_link_invalid', 404, 'This setup link has expired or has already been used');

export function registerSetupPages(app: FastifyInstance, deps: { firstRun: FirstRunService; signIn: SignInService }) {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const options = { config: { access: 'public' as const }, schema: { hide: true, params } };

  pages.get('/setup/:token', options, async (request, reply) => {
    const user = await deps.firstRun.findSetup(request.params.token);
    if (!user) throw expired();
    return reply.render('accounts/views/setup.njk', { pageTitle: 'Set up kloe', email: user.email });
  });

  pages.post('/setup/:token', options, async (request, reply) => {
    const password = String((request.body as { password?: unknown } | undefined)?.password ?? '');
    const user = await deps.firstRun.findSetup(request.params.token);
    if (!user) throw expired();
    try {
      await deps.firstRun.completeSetup(request.params.token, password);
    } catch (error) {
      if (!(error instanceof AppError) || error.problems.length === 0) throw error;
      return reply.status(error.status).render('accounts/views/setup.njk', {
        pageTitle: 'Set up kloe',
        email: user.email,
        errors: formErrorsFrom(error.problems),
      });
    }
    const outcome = await deps.signIn.signIn(user.email, password, fromNodeHeaders(request.headers));
    if (outcome.ok) for (const cookie of outcome.setCookies) reply.header('set-cookie', cookie);
    return reply.redirect(outcome.ok ? '/admin/users' : '/sign-in', 303);
  });
}
