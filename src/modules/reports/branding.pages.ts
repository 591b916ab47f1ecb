/**
 * The administrators' "Report branding" page: the inspectorate's name and logo as every report shows them,
 * and the form to change them. A refused logo is named in the GOV.UK error summary, with the name kept.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { formRefusal, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser } from '../accounts/index.js';
import { brandingBody } from './branding.schemas.js';
import { brandingRoute } from './branding.policy.js';
import type { BrandingService } from './branding.service.js';
import { LOGO_MAX_BYTES, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH, LOGO_UPLOAD_LIMIT } from './logo-image.js';

export async function registerBrandingPages(app: FastifyInstance, deps: { branding: BrandingService }): Promise<void> {
  const { branding } = deps;

  async function render(
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: FormErrors; done?: string } = {},
  ) {
    const current = await branding.get();
    return reply.render('reports/views/branding.njk', {
      section: 'branding',
      pageTitle: 'Report branding',
      current,
      values: state.values ?? { name: current.name ?? '' },
      errors: state.errors,
      done: state.done,
      limits: { mb: LOGO_MAX_BYTES / 1024 / 1024, width: LOGO_MAX_WIDTH, height: LOGO_MAX_HEIGHT },
    });
  }

  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/admin/branding',
      { config: brandingRoute, schema: { hide: true, querystring: z.object({ done: z.string().optional() }) } },
      async (request, reply) => render(reply, { done: request.query.done }),
    );

  await registerUploadScope(
    app,
    LOGO_UPLOAD_LIMIT,
    (scope) => {
      scope
        .withTypeProvider<ZodTypeProvider>()
        .post('/admin/branding', { config: brandingRoute, schema: { hide: true } }, async (request, reply) => {
          const values = withoutCsrf(request.body);
          try {
            await branding.save(currentUser(request), brandingBody.parse(values), request.uploads);
            return reply.redirect('/admin/branding?done=saved', 303);
          } catch (error) {
            const refused = formRefusal(error);
            if (!refused) throw error;
            return render(reply.status(refused.status), { values, errors: refused.errors });
          }
        });
    },
    'logo',
  );
}
