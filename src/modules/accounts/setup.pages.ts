/** The first administrator's one-time setup link: give your email address, choose a password, and be signed in. */
import { fromNodeHeaders } from 'better-auth/node';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type FieldProblem } from '../../errors.js';
import { formErrorsFrom, problemsFromZod } from '../../web/form-errors.js';
import { setupBody } from './accounts.schemas.js';
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
    return reply.render('accounts/views/setup.njk', { pageTitle: 'Set up kloe' });
  });

  pages.post('/setup/:token', options, async (request, reply) => {
    const body = (request.body ?? {}) as { email?: unknown };
    const user = await deps.firstRun.findSetup(request.params.token);
    if (!user) throw expired();
    const again = (status: number, problems: FieldProblem[]) =>
      reply.status(status).render('accounts/views/setup.njk', {
        pageTitle: 'Set up kloe',
        values: { email: typeof body.email === 'string' ? body.email : '' },
        errors: formErrorsFrom(problems),
      });
    const parsed = setupBody.safeParse(body);
    if (!parsed.success) return again(400, problemsFromZod(parsed.error));
    let admin;
    try {
      admin = await deps.firstRun.completeSetup(request.params.token, parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || error.problems.length === 0) throw error;
      return again(error.status, error.problems);
    }
    if (!admin) throw expired(); // used up by another request meanwhile
    const outcome = await deps.signIn.signIn(
      admin.email,
      parsed.data.password,
      fromNodeHeaders(request.headers),
      request.ip,
    );
    if (outcome.ok) for (const cookie of outcome.setCookies) reply.header('set-cookie', cookie);
    return reply.redirect(outcome.ok ? '/admin/users' : '/sign-in', 303);
  });
}
