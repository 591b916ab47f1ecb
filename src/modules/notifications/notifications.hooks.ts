/**
 * The count of unread notifications in every page's header: read once per page request of a signed-in
 * person (an indexed count), never for the API or assets.
 */
import type { FastifyInstance } from 'fastify';
import type { NotificationsService } from './notifications.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Unread notifications of the signed-in person, on page requests; undefined elsewhere. */
    unreadNotifications?: number;
  }
}

export function registerUnreadCount(app: FastifyInstance, deps: { notifications: NotificationsService }): void {
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' || request.actor?.kind !== 'user') return;
    const url = request.routeOptions.url ?? '';
    if (url.startsWith('/api/') || url.startsWith('/assets/') || url === '/health') return;
    request.unreadNotifications = await deps.notifications.unread(request.actor);
  });
}
