/** "Your account": who you are, signing out everywhere, and your API tokens. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom, problemsFromZod } from '../../web/form-errors.js';
import { createTokenBody, ROLE_LABELS, tokenIdParams } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';
import { currentUser } from './actor.js';
import { TOKEN_EXPIRY_DAYS } from './api-tokens.js';
import type { ApiTokensService } from './api-tokens.service.js';

export function registerAccountPages(
  app: FastifyInstance,
  deps: { accounts: AccountsService; tokens: ApiTokensService },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const options = { schema: { hide: true }, config: { access: 'signed-in' as const } };

  async function renderAccount(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const actor = currentUser(request);
    return reply.render('accounts/views/account.njk', {
      pageTitle: 'Your account',
      section: 'account',
      me: actor,
      roleLabel: ROLE_LABELS[actor.role],
      tokens: await deps.tokens.list(actor),
      expiryChoices: TOKEN_EXPIRY_DAYS.choices,
      values: { scope: 'read', expiresInDays: String(TOKEN_EXPIRY_DAYS.default) },
      now: new Date(),
      ...extra,
    });
  }

  pages.get('/account', options, async (request, reply) => {
    const query = request.query as { done?: string };
    return renderAccount(request, reply, { done: query.done });
  });

  pages.post('/account/sign-out-everywhere', options, async (request, reply) => {
    const actor = currentUser(request);
    await deps.accounts.signOutEverywhere(actor.userId, actor);
    return reply.redirect('/sign-in?signedOut=1', 303);
  });

  pages.post('/account/tokens', options, async (request, reply) => {
    const parsed = createTokenBody.safeParse(request.body);
    if (!parsed.success) {
      return renderAccount(request, reply.status(400), {
        errors: formErrorsFrom(problemsFromZod(parsed.error)),
        values: request.body,
      });
    }
    let created;
    try {
      created = await deps.tokens.create(currentUser(request), parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || error.problems.length === 0) throw error;
      return renderAccount(request, reply.status(error.status), {
        errors: formErrorsFrom(error.problems),
        values: request.body,
      });
    }
    const { token, row } = created;
    // Shown on this response only: the token is not kept anywhere it could be shown again.
    return renderAccount(request, reply.status(201), { newToken: { token, name: row.name } });
  });

  pages.post(
    '/account/tokens/:id/revoke',
    { ...options, schema: { hide: true, params: tokenIdParams } },
    async (request, reply) => {
      await deps.tokens.revoke(currentUser(request), request.params.id);
      return reply.redirect('/account?done=revoked', 303);
    },
  );
}
