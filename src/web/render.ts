/** reply.render(template, context): Nunjucks pages with what every layout needs (who is signed in, CSRF, CSP nonce). */
import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import { CSRF_PLACEHOLDER, NONCE_PLACEHOLDER, RenderMemo, renderKey } from './render-memo.js';
import { CSRF_FIELD } from './security.js';

declare module 'fastify' {
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

/** Both placeholders, found in one pass over the page. */
const PLACEHOLDERS = new RegExp(`${CSRF_PLACEHOLDER}|${NONCE_PLACEHOLDER}`, 'g');

/** Rendered pages kept for reuse, in characters (about 400 KLOE workspace pages). */
const MEMO_CHARS = 32 * 1024 * 1024;

/**
 * `memo: false` renders every page afresh: needed while templates change under a running server
 * (development), since the memo's key is the context, not the template's text.
 */
export function registerRendering(app: FastifyInstance, env: nunjucks.Environment, options: { memo: boolean }): void {
  const memo = options.memo ? new RenderMemo(MEMO_CHARS) : undefined;

  app.decorateReply('render', function (template: string, context: Record<string, unknown> = {}) {
    const actor = this.request.actor;
    const full = {
      ...context,
      currentPath: this.request.url,
      // The layout shows only the person's role (its menu), and pages are remembered by what they are given:
      // so people with the same role and the same page data share the rendered page. A page that shows
      // more of the person is given it in its own context.
      actor: actor?.kind === 'user' ? { role: actor.role } : undefined,
      csrfField: CSRF_FIELD,
      csrfToken: CSRF_PLACEHOLDER,
      cspNonce: this.cspNonce?.script === undefined ? undefined : NONCE_PLACEHOLDER,
    };
    const key = memo && renderKey(template, full);
    let html = key === undefined ? undefined : memo?.get(key);
    if (html === undefined) {
      html = env.render(template, full);
      if (key !== undefined) memo?.set(key, html);
    }
    const csrfToken = this.generateCsrf();
    const nonce = this.cspNonce?.script ?? '';
    const page = html.replace(PLACEHOLDERS, (found) => (found === CSRF_PLACEHOLDER ? csrfToken : nonce));
    return this.type('text/html; charset=utf-8').send(page);
  });
}
