/**
 * The "Report templates" page: the templates the person may see, the starter template, the upload form
 * (with the GOV.UK error summary, keeping the name and description, when a file is refused) and delete.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UserActor } from '../accounts/index.js';
import { currentUser } from '../accounts/index.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import type { OrganisationsService } from '../organisations/index.js';
import { MEDIA_TYPES } from '../../files/file-types.js';
import { formRefusal, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { sendTemplateFile } from './report-templates.api.js';
import { mayOn, routeConfigFor } from './report-templates.policy.js';
import { templateParams, templateUploadBody } from './report-templates.schemas.js';
import { TEMPLATE_MAX_BYTES, type ReportTemplatesService } from './report-templates.service.js';
import { fieldPaths } from './template-data.js';

const doneQuery = z.object({ done: z.enum(['added', 'deleted']).optional() });

const FIELD_PATHS = fieldPaths();

export async function registerReportTemplatePages(
  app: FastifyInstance,
  deps: { templates: ReportTemplatesService; organisations: Pick<OrganisationsService, 'get'> },
): Promise<void> {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { templates } = deps;

  async function render(
    reply: FastifyReply,
    actor: UserActor,
    state: { values?: Record<string, unknown>; errors?: FormErrors; done?: string } = {},
  ) {
    const [list, ownerChoices, ownOrganisation] = await Promise.all([
      templates.list(actor),
      templates.ownerChoices(actor),
      actor.organisationId ? deps.organisations.get(actor, actor.organisationId).then((o) => o.name) : undefined,
    ]);
    return reply.render('reports/views/templates.njk', {
      section: 'report-templates',
      pageTitle: 'Report templates',
      templates: list.map((t) => ({ ...t, canManage: mayOn(actor, 'manage', t.organisationId) })),
      canUpload: mayOn(actor, 'manage', actor.role === 'administrator' ? null : actor.organisationId),
      ownerChoices,
      ownOrganisation,
      maxMb: TEMPLATE_MAX_BYTES / 1024 / 1024,
      fieldPaths: FIELD_PATHS,
      values: state.values ?? {},
      errors: state.errors,
      done: state.done,
    });
  }

  pages.get(
    '/report-templates',
    { config: routeConfigFor('view'), schema: { hide: true, querystring: doneQuery } },
    async (request, reply) => render(reply, currentUser(request), { done: request.query.done }),
  );

  pages.get(
    '/report-templates/starter.docx',
    { config: routeConfigFor('view'), schema: { hide: true } },
    async (_request, reply) => {
      // Built on request with the docx package, loaded only then (see starter-template.ts).
      const bytes = await (await import('./starter-template.js')).starterTemplate();
      return reply
        .header('content-type', MEDIA_TYPES.docx)
        .header('content-disposition', 'attachment; filename="kloe-starter-template.docx"')
        .send(bytes);
    },
  );

  pages.get(
    '/report-templates/:templateId/file',
    { config: routeConfigFor('view'), schema: { hide: true, params: templateParams } },
    async (request, reply) =>
      sendTemplateFile(reply, await templates.file(currentUser(request), request.params.templateId)),
  );

  pages.post(
    '/report-templates/:templateId/delete',
    { config: routeConfigFor('manage'), schema: { hide: true, params: templateParams } },
    async (request, reply) => {
      await templates.remove(currentUser(request), request.params.templateId);
      return reply.redirect('/report-templates?done=deleted', 303);
    },
  );

  await registerUploadScope(
    app,
    TEMPLATE_MAX_BYTES,
    (scope) => {
      scope
        .withTypeProvider<ZodTypeProvider>()
        .post(
          '/report-templates',
          { config: routeConfigFor('manage'), schema: { hide: true } },
          async (request, reply) => {
            const actor = currentUser(request);
            const values = withoutCsrf(request.body);
            try {
              await templates.create(actor, templateUploadBody.parse(values), request.uploads);
              return reply.redirect('/report-templates?done=added', 303);
            } catch (error) {
              const refused = formRefusal(error);
              if (!refused) throw error;
              return render(reply.status(refused.status), actor, { values, errors: refused.errors });
            }
          },
        );
    },
    'file',
  );
}
