/** Notifications: kept for each person, counted in the header, listed on a page, emailed when SMTP is set up. */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { createMailer } from './mailer.js';
import { registerNotificationsApi } from './notifications.api.js';
import { registerUnreadCount } from './notifications.hooks.js';
import { registerNotificationPages } from './notifications.pages.js';
import { createNotificationsService } from './notifications.service.js';

export type { Notify, NotificationInput, NotificationsService } from './notifications.service.js';
export { createMailer, type Mailer } from './mailer.js';
export { notifyOverdueRequests } from './overdue-requests.js';
export { createNotificationsService } from './notifications.service.js';

/** Registers the routes and the header's count, and returns the service other modules tell people through. */
export function registerNotifications(
  app: FastifyInstance,
  deps: { db: Database; smtp: { url: string; from: string } | undefined; baseUrl: string },
) {
  const log = (message: string, error: unknown) => app.log.error({ err: error }, message);
  const mailer = deps.smtp ? createMailer({ ...deps.smtp, log }) : undefined;
  const notifications = createNotificationsService({ db: deps.db, mailer, baseUrl: deps.baseUrl, log });
  registerUnreadCount(app, { notifications });
  registerNotificationsApi(app, { notifications });
  registerNotificationPages(app, { notifications });
  app.addHook('onClose', async () => {
    await mailer?.idle();
    mailer?.close();
  });
  return { notifications, mailer };
}
