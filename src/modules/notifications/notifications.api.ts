/** Notifications as JSON: the caller's own, newest first, and marking them read. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { notificationJson, notificationParams, toNotificationJson } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

export function registerNotificationsApi(app: FastifyInstance, deps: { notifications: NotificationsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { notifications } = deps;
  const tags = ['notifications'];
  const config = { access: 'signed-in' as const };

  api.get(
    '/api/notifications',
    {
      config,
      schema: {
        tags,
        summary: 'Your latest 100 notifications, newest first, and how many are unread',
        response: { 200: z.object({ unread: z.number().int(), notifications: z.array(notificationJson) }) },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const [list, unread] = await Promise.all([notifications.list(actor), notifications.unread(actor)]);
      return { unread, notifications: list.map(toNotificationJson) };
    },
  );

  api.post(
    '/api/notifications/:notificationId/read',
    {
      config,
      schema: {
        tags,
        summary: 'Mark one of your notifications read',
        params: notificationParams,
        response: { 204: z.null(), 404: problemSchema },
      },
    },
    async (request, reply) => {
      await notifications.markRead(currentUser(request), request.params.notificationId);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/notifications/read',
    {
      config,
      schema: {
        tags,
        summary: 'Mark all your notifications read',
        response: { 200: z.object({ marked: z.number() }) },
      },
    },
    async (request) => ({ marked: await notifications.markAllRead(currentUser(request)) }),
  );
}
