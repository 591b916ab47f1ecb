/** HTML pages of the framework catalogue: list, overview, one KLOE, and the whole framework on one page. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { allKloeViews, describeSize, kloeWithNeighbours } from './framework.view-model.js';
import { kloeNotFound } from './frameworks.errors.js';
import { frameworkIdParams, kloeParams, versionQuery } from './frameworks.schemas.js';
import type { FrameworksService } from './frameworks.service.js';

export function registerFrameworkPages(app: FastifyInstance, deps: { frameworks: FrameworksService }): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { frameworks } = deps;
  const hidden = { hide: true } as const;
  // The catalogue is published material: anyone may read it.
  const access = 'public' as const;

  pages.get('/frameworks', { schema: hidden, config: { access } }, async (_request, reply) =>
    reply.render('frameworks/views/list.njk', {
      pageTitle: 'Frameworks',
      section: 'frameworks',
      frameworks: await frameworks.list(),
    }),
  );

  /** Context shared by the pages of one framework version. */
  async function versionContext(id: string, version: number | undefined) {
    const row = await frameworks.getVersion(id, version);
    const doc = row.document;
    return {
      row,
      doc,
      section: 'frameworks',
      // Links keep an explicitly chosen version; without one they follow the latest.
      versionQuery: version === undefined ? '' : `?version=${row.version}`,
      frameworkCrumb: {
        text: doc.title,
        href: `/frameworks/${doc.id}${version === undefined ? '' : `?version=${row.version}`}`,
      },
    };
  }

  pages.get(
    '/frameworks/:id',
    { schema: { ...hidden, params: frameworkIdParams, querystring: versionQuery }, config: { access } },
    async (request, reply) => {
      const context = await versionContext(request.params.id, request.query.version);
      return reply.render('frameworks/views/framework.njk', {
        ...context,
        pageTitle: context.doc.title,
        size: describeSize(context.doc),
        versions: await frameworks.listVersions(request.params.id),
        breadcrumbs: [{ text: 'Frameworks', href: '/frameworks' }],
      });
    },
  );

  pages.get(
    '/frameworks/:id/all',
    { schema: { ...hidden, params: frameworkIdParams, querystring: versionQuery }, config: { access } },
    async (request, reply) => {
      const context = await versionContext(request.params.id, request.query.version);
      return reply.render('frameworks/views/all.njk', {
        ...context,
        pageTitle: `All KLOEs – ${context.doc.title}`,
        kloes: allKloeViews(context.doc),
        breadcrumbs: [{ text: 'Frameworks', href: '/frameworks' }, context.frameworkCrumb],
      });
    },
  );

  pages.get(
    '/frameworks/:id/kloes/:ref',
    { schema: { ...hidden, params: kloeParams, querystring: versionQuery }, config: { access } },
    async (request, reply) => {
      const context = await versionContext(request.params.id, request.query.version);
      const found = kloeWithNeighbours(context.doc, request.params.ref);
      if (!found) throw kloeNotFound(request.params.id, request.params.ref);
      return reply.render('frameworks/views/kloe.njk', {
        ...context,
        ...found,
        pageTitle: `KLOE ${found.view.kloe.ref}`,
        breadcrumbs: [{ text: 'Frameworks', href: '/frameworks' }, context.frameworkCrumb],
      });
    },
  );
}
