import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.js';

/**
 * Something a person should know of: assigned a KLOE, mentioned, a challenge raised or resolved, an
 * evidence request answered or overdue. `key` makes a notification that may be made twice (an overdue
 * request, seen by every process's sweep) land once.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** One sentence in plain words ("Leila Brandt assigned you KLOE 4.1 of …"). */
    text: text('text').notNull(),
    /** Where the notification leads, a path inside kloe. */
    href: text('href').notNull(),
    key: text('key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.readAt),
    uniqueIndex('notifications_user_key_unique').on(t.userId, t.key),
  ],
);
