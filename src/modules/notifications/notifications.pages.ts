/**
 * The notifications page (the header's count links to it): newest first, unread marked; opening one marks
 * it read and goes where it leads; "Mark all as read" empties the count.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { notificationParams } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

/** A notification leads inside kloe only: never a redirect elsewhere. */
const inside = (href: string) => (href.startsWith('/') && !href.startsWith('//') ? href : '/notifications');

export function registerNotificationPages(app: FastifyInstance, deps: { notifications: NotificationsService }): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { notifications } = deps;
  const options = { config: { access: 'signed-in' as const } };

  pages.get(
    '/notifications',
    { ...options, schema: { hide: true, querystring: z.object({ done: z.string().max(40).optional() }) } },
    async (request, reply) => {
      const actor = currentUser(request);
      const list = await notifications.list(actor);
      return reply.render('notifications/views/notifications.njk', {
        pageTitle: 'Notifications',
        section: 'notifications',
        notifications: list,
        unreadHere: list.filter((n) => !n.readAt).length,
        done: request.query.done,
      });
    },
  );

  pages.post(
    '/notifications/:notificationId/read',
    { ...options, schema: { hide: true, params: notificationParams } },
    async (request, reply) => {
      const n = await notifications.markRead(currentUser(request), request.params.notificationId);
      return reply.redirect(inside(n.href), 303);
    },
  );

  pages.post('/notifications/read-all', { ...options, schema: { hide: true } }, async (request, reply) => {
    await notifications.markAllRead(currentUser(request));
    return reply.redirect('/notifications?done=read', 303);
  });
}
