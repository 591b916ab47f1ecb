/** reply.render(template, context): Nunjucks pages with what every layout needs (who is signed in, CSRF, CSP nonce). */
import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import {
  acceptsGzip,
  CSRF_PLACEHOLDER,
  cutPage,
  fillPage,
  gzipPage,
  NONCE_PLACEHOLDER,
  RenderMemo,
  renderKey,
  type CutPage,
} from './render-memo.js';
import { CSRF_FIELD, csrfUserInfo } from './security.js';

declare module 'fastify' {
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

/** Rendered pages kept for reuse, in bytes (about 400 KLOE workspace pages). */
const MEMO_BYTES = 32 * 1024 * 1024;

/**
 * `memo: false` renders every page afresh: needed while templates change under a running server
 * (development), since the memo's key is the context, not the template's text.
 */
export function registerRendering(app: FastifyInstance, env: nunjucks.Environment, options: { memo: boolean }): void {
  const memo = options.memo ? new RenderMemo<CutPage>(MEMO_BYTES) : undefined;

  app.decorateReply('render', function (template: string, context: Record<string, unknown> = {}) {
    const actor = this.request.actor;
    const full = {
      ...context,
      currentPath: this.request.url,
      // The layout shows only the person's role (its menu), and pages are remembered by what they are given:
      // so people with the same role and the same page data share the rendered page. A page that shows
      // more of the person is given it in its own context.
      actor: actor?.kind === 'user' ? { role: actor.role, unread: this.request.unreadNotifications } : undefined,
      csrfField: CSRF_FIELD,
      csrfToken: CSRF_PLACEHOLDER,
      cspNonce: NONCE_PLACEHOLDER,
    };
    const key = memo && renderKey(template, full);
    let page = key === undefined ? undefined : memo?.get(key);
    if (page === undefined) {
      page = cutPage(env.render(template, full));
      if (key !== undefined) memo?.set(key, page);
    }
    const csrfToken = this.generateCsrf({ userInfo: csrfUserInfo(this.request) });
    this.type('text/html; charset=utf-8');
    if (key === undefined || !acceptsGzip(this.request.headers['accept-encoding']))
      return this.send(fillPage(page, csrfToken, this.cspNonce));
    // A remembered page is sent gzipped to whoever takes it: compressed once, it costs a tenth of the bytes.
    return this.header('content-encoding', 'gzip')
      .header('vary', 'accept-encoding')
      .send(gzipPage(page, csrfToken, this.cspNonce));
  });
}
