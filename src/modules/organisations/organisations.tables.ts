import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const ORGANISATION_TYPES = [
  'council',
  'housing_provider',
  'fire_service',
  'police',
  'health_body',
  'other_public_body',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** Numeric context used to find comparable providers (population, deprivation score, stock size…). */
export type ContextAttributes = Record<string, number>;

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** An ONS or regulator code; unique, and how imports (indicators) name the organisation. */
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    type: text('type', { enum: ORGANISATION_TYPES }).notNull(),
    region: text('region'),
    attributes: jsonb('attributes').$type<ContextAttributes>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organisations_name_idx').on(t.name),
    check(
      'organisations_type_check',
      sql`${t.type} in ('council','housing_provider','fire_service','police','health_body','other_public_body')`,
    ),
  ],
);

/** A service within an organisation, e.g. "Housing repairs": what an assessment looks at. */
export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('services_organisation_name_unique').on(t.organisationId, t.name)],
);
