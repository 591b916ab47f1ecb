/**
 * Notifications: kept for the person (the header's count and the notifications page) and, when SMTP is set
 * up, sent by email. `notify` never throws: a notification that cannot be kept or sent is logged, and the
 * change that caused it stands.
 */
import type { Database } from '../../db/database.js';
import { notFound } from '../../errors.js';
import { isUuid } from '../../db/ids.js';
import type { UserActor } from '../accounts/index.js';
import type { Mailer } from './mailer.js';
import * as repo from './notifications.repository.js';

export const NOTIFICATION_KINDS = [
  'assigned',
  'review_requested',
  'reviewed',
  'reopened',
  'mentioned',
  'challenge_raised',
  'challenge_resolved',
  'request_answered',
  'request_overdue',
  'webhook_paused',
  'accuracy_check',
  'accuracy_comment',
  'accuracy_answered',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationInput {
  userId: string;
  kind: NotificationKind;
  text: string;
  href: string;
  /** Set when the same notification may be made again (it is then kept once). */
  key?: string;
}

/** What other modules are given: tell people something. Resolves when it is kept; never rejects. */
export type Notify = (items: NotificationInput[]) => Promise<void>;

const SUBJECTS: Record<NotificationKind, string> = {
  assigned: 'A KLOE was assigned to you',
  review_requested: 'A KLOE is ready for your review',
  reviewed: 'Your KLOE was reviewed',
  reopened: 'A KLOE was reopened',
  mentioned: 'You were mentioned in a comment',
  challenge_raised: 'A rating was challenged',
  challenge_resolved: 'Your challenge was resolved',
  request_answered: 'An evidence request was answered',
  request_overdue: 'An evidence request is overdue',
  webhook_paused: 'A webhook was paused',
  accuracy_check: 'A draft report is ready for your factual accuracy comments',
  accuracy_comment: 'A factual accuracy comment was made',
  accuracy_answered: 'Your factual accuracy comment was answered',
};

const PAGE_SIZE = 100;
const notificationNotFound = (id: string) =>
  notFound('notification_not_found', `No notification of yours with id "${id}"`);

export function createNotificationsService(deps: {
  db: Database;
  mailer?: Mailer;
  baseUrl: string;
  log: (message: string, error: unknown) => void;
}) {
  const { db, mailer } = deps;

  const notify: Notify = async (items) => {
    try {
      const kept = await repo.insertNotifications(
        db,
        items.map(({ userId, kind, text, href, key }) => ({ userId, kind, text, href, key: key ?? null })),
      );
      if (!mailer || kept.length === 0) return;
      const people = new Map(
        (await repo.recipients(db, [...new Set(kept.map((n) => n.userId))])).map((p) => [p.id, p]),
      );
      for (const n of kept) {
        const person = people.get(n.userId);
        if (!person) continue;
        mailer.send({
          to: `${person.name} <${person.email}>`,
          subject: `kloe: ${SUBJECTS[n.kind as NotificationKind] ?? 'Notification'}`,
          text: `${n.text}\n\n${deps.baseUrl}${n.href}\n\nYour notifications: ${deps.baseUrl}/notifications\n`,
        });
      }
    } catch (error) {
      deps.log('could not keep notifications', error);
    }
  };

  return {
    notify,
    list: (actor: UserActor) => repo.listNotifications(db, actor.userId, PAGE_SIZE),
    unread: (actor: UserActor) => repo.countUnread(db, actor.userId),
    async markRead(actor: UserActor, id: string) {
      const found = isUuid(id) ? await repo.findNotification(db, actor.userId, id) : undefined;
      if (!found) throw notificationNotFound(id);
      await repo.markRead(db, actor.userId, id);
      return found;
    },
    markAllRead: (actor: UserActor) => repo.markRead(db, actor.userId),
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
