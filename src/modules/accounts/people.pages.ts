/**
 * Administrators' pages for people: list, add, and one person (role, disable, new password, single sign-on
 * identities, history).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom, problemsFromZod } from '../../web/form-errors.js';
import { createUserBody, resetPasswordBody, ROLE_LABELS, userIdParams } from './accounts.schemas.js';
import { publicUser, type AccountsService } from './accounts.service.js';
import { ROLES } from './accounts.tables.js';
import type { AuditService } from '../audit/index.js';
import { currentUser } from './actor.js';
import type { SsoLinksService } from './sso-links.service.js';

const roleForm = z.object({
  role: z.enum(ROLES, { error: 'Choose a role' }),
  organisationId: createUserBody.shape.organisationId,
  reason: z.string().trim().max(1000).optional(),
});
const statusForm = z.object({ disabled: z.enum(['true', 'false']), reason: z.string().trim().max(1000).optional() });

/** How many audit entries the person page shows; the audit page has the rest. */
const HISTORY_LIMIT = 20;

export function registerPeoplePages(
  app: FastifyInstance,
  deps: { accounts: AccountsService; audit: AuditService; ssoLinks: SsoLinksService },
): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;
  const config = { access: { roles: ['administrator'] as const } };
  const common = { section: 'people', roleLabels: ROLE_LABELS, roles: ROLES };
  const crumbs = [{ text: 'People', href: '/admin/users' }];

  async function renderPerson(reply: FastifyReply, id: string, extra: Record<string, unknown> = {}) {
    const user = await accounts.getUser(id);
    return reply.render('accounts/views/person.njk', {
      ...common,
      pageTitle: user.name,
      breadcrumbs: crumbs,
      person: publicUser(user),
      organisations: await accounts.organisationChoices(),
      ssoLinks: await deps.ssoLinks.list(user.id),
      history: await deps.audit.historyOf('user', user.id, { limit: HISTORY_LIMIT }),
      ...extra,
    });
  }

  async function renderNew(reply: FastifyReply, extra: Record<string, unknown> = {}) {
    return reply.render('accounts/views/person-new.njk', {
      ...common,
      pageTitle: 'Add a person',
      breadcrumbs: crumbs,
      organisations: await accounts.organisationChoices(),
      values: {},
      ...extra,
    });
  }

  pages.get('/admin/users', { config, schema: { hide: true } }, async (_request, reply) => {
    const [people, organisations] = await Promise.all([accounts.list(), accounts.organisationChoices()]);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    return reply.render('accounts/views/people.njk', {
      ...common,
      pageTitle: 'People',
      people: people.map((p) => ({
        ...publicUser(p),
        organisationName: p.organisationId ? names.get(p.organisationId) : '',
      })),
    });
  });

  pages.get('/admin/users/new', { config, schema: { hide: true } }, async (_request, reply) => renderNew(reply));

  pages.post('/admin/users/new', { config, schema: { hide: true } }, async (request, reply) => {
    const values = (request.body ?? {}) as Record<string, string>;
    const parsed = createUserBody.safeParse(values);
    try {
      if (!parsed.success) throw new AppError('invalid_request', 400, 'Check the form', problemsFromZod(parsed.error));
      const user = await accounts.create(parsed.data, currentUser(request));
      return reply.redirect(`/admin/users/${user.id}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.problems.length === 0) throw error;
      const kept = { ...values, password: undefined }; // a password is never sent back into the page
      return renderNew(reply.status(error.status), { values: kept, errors: formErrorsFrom(error.problems) });
    }
  });

  pages.get('/admin/users/:id', { config, schema: { hide: true, params: userIdParams } }, async (request, reply) =>
    renderPerson(reply, request.params.id, { done: (request.query as { done?: string }).done }),
  );

  /** Runs a change from one of the person page's forms; field problems come back on the same page. */
  async function change(reply: FastifyReply, id: string, form: string, work: () => Promise<unknown>) {
    try {
      await work();
      return reply.redirect(`/admin/users/${id}?done=${form}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const problems = error.problems.length > 0 ? error.problems : [{ field: form, message: error.message }];
      return renderPerson(reply.status(error.status), id, { errors: formErrorsFrom(problems), failedForm: form });
    }
  }

  const bad = (error: z.ZodError) => new AppError('invalid_request', 400, 'Check the form', problemsFromZod(error));

  pages.post(
    '/admin/users/:id/role',
    { config, schema: { hide: true, params: userIdParams } },
    async (request, reply) =>
      change(reply, request.params.id, 'role', async () => {
        const parsed = roleForm.safeParse(request.body);
        if (!parsed.success) throw bad(parsed.error);
        const { role, organisationId, reason } = parsed.data;
        await accounts.setRole(request.params.id, role, organisationId, currentUser(request), reason);
      }),
  );

  pages.post(
    '/admin/users/:id/status',
    { config, schema: { hide: true, params: userIdParams } },
    async (request, reply) =>
      change(reply, request.params.id, 'status', async () => {
        const parsed = statusForm.safeParse(request.body);
        if (!parsed.success) throw bad(parsed.error);
        await accounts.setDisabled(
          request.params.id,
          parsed.data.disabled === 'true',
          currentUser(request),
          parsed.data.reason,
        );
      }),
  );

  pages.post(
    '/admin/users/:id/password',
    { config, schema: { hide: true, params: userIdParams } },
    async (request, reply) =>
      change(reply, request.params.id, 'password', async () => {
        const parsed = resetPasswordBody.safeParse(request.body);
        if (!parsed.success) throw bad(parsed.error);
        await accounts.resetPassword(request.params.id, parsed.data.password, currentUser(request));
      }),
  );

  pages.post(
    '/admin/users/:id/sso-links/:linkId/unlink',
    { config, schema: { hide: true, params: userIdParams.extend({ linkId: z.string().min(1) }) } },
    async (request, reply) =>
      change(reply, request.params.id, 'sso', () =>
        deps.ssoLinks.unlink(request.params.id, request.params.linkId, currentUser(request)),
      ),
  );
}
