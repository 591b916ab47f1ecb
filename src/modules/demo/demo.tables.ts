import { jsonb, pgTable, serial, timestamp } from 'drizzle-orm/pg-core';

/** When demo data was loaded and what each module added: a database with no row here has never had it. */
export const demoLoads = pgTable('demo_loads', {
  id: serial('id').primaryKey(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  summary: jsonb('summary').$type<Record<string, string>>().notNull(),
});
