import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Installation-wide values kloe makes for itself, e.g. the signing secret when KLOE_SECRET is not set. */
export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
