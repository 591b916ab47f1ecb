import type { FastifyInstance } from 'fastify';
import type { FrameworksService } from '../frameworks/frameworks.service.js';

/** The landing page: what kloe is and where to start. */
export function registerHomePage(app: FastifyInstance, deps: { frameworks: FrameworksService }): void {
  app.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
    reply.render('home/views/home.njk', { pageTitle: 'Home', frameworks: await deps.frameworks.list() }),
  );
}
