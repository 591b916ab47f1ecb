import type { FastifyInstance } from 'fastify';
import type { FrameworksService } from '../frameworks/index.js';
import type { MyWorkService } from '../work/index.js';

/** The landing page: what kloe is and where to start; once signed in, the person's own work ("My work"). */
export function registerHomePage(
  app: FastifyInstance,
  deps: { frameworks: FrameworksService; myWork?: MyWorkService },
): void {
  app.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const actor = request.actor;
    if (actor.kind === 'user' && deps.myWork) {
      return reply.render('work/views/my-work.njk', {
        pageTitle: 'My work',
        section: 'home',
        me: { name: actor.name, role: actor.role },
        work: await deps.myWork.of(actor),
      });
    }
    return reply.render('home/views/home.njk', { pageTitle: 'Home', frameworks: await deps.frameworks.list() });
  });
}
