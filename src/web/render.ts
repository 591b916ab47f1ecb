/** reply.render(template, context): Nunjucks pages with what every layout needs (who is signed in, CSRF, CSP nonce). */
import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import { CSRF_FIELD } from './security.js';

declare module 'fastify' {
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

export function registerRendering(app: FastifyInstance, env: nunjucks.Environment): void {
  app.decorateReply('render', function (template: string, context: Record<string, unknown> = {}) {
    const actor = this.request.actor;
    const html = env.render(template, {
      ...context,
      currentPath: this.request.url,
      actor: actor?.kind === 'user' ? actor : undefined,
      csrfField: CSRF_FIELD,
      csrfToken: this.generateCsrf(),
      cspNonce: this.cspNonce?.script,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}
