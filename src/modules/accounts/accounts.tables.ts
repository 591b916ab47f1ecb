/**
 * People, their sign-in sessions and credentials, and API tokens. users, sessions, accounts and
 * verifications are the tables better-auth works on (its field names, our snake_case columns);
 * role, organisation, disabling and lock-out are kloe's own fields on users.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../organisations/organisations.tables.js';

export const ROLES = ['administrator', 'inspector', 'organisation_member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    role: text('role', { enum: ROLES }).notNull().default('viewer'),
    /** The organisation an organisation member (or viewer) belongs to; null for administrators and inspectors. */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in ('administrator','inspector','organisation_member','viewer')`),
    check('users_member_has_organisation', sql`${t.role} <> 'organisation_member' or ${t.organisationId} is not null`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** Sliding (idle) expiry, moved forward as the session is used. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Credentials: the argon2id password hash ("credential" provider) or a single sign-on identity. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

/**
 * Sessions made by single sign-on, with what signing out needs: the ID token (the provider's logout takes it
 * as id_token_hint) and the provider's subject and session id (its back-channel logout names them).
 */
export const ssoSessions = pgTable(
  'sso_sessions',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    providerSessionId: text('provider_session_id'),
    idToken: text('id_token').notNull(),
  },
  (t) => [index('sso_sessions_subject_idx').on(t.subject), index('sso_sessions_sid_idx').on(t.providerSessionId)],
);

/** One-time values: the first-run sign-in link, single sign-on state. */
export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }),
});

/** What a token may do: `read` only reads (GET, HEAD), `write` does all its owner may. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/**
 * Tokens for integrations: shown once, stored as a SHA-256 hash, acting with their owner's rights within their
 * scope until they expire or are revoked (by the owner, or with the owner's password reset or disabling).
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the token, shown so a person can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    scope: text('scope', { enum: TOKEN_SCOPES }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('api_tokens_user_idx').on(t.userId),
    check('api_tokens_scope_check', sql`${t.scope} in ('read','write')`),
  ],
);

/**
 * Failed password sign-ins per email, per address and per both (sign-in-throttle.ts), in the database so that
 * every kloe process sharing it slows the same guesser down. The key is a SHA-256 of the rule and its values.
 */
export const signInThrottles = pgTable(
  'sign_in_throttles',
  {
    key: text('key').primaryKey(),
    /** The email's hash on the counters about an email (sign-in-throttle.ts emailKeyOf); null on an address's own. */
    emailKey: text('email_key'),
    failures: integer('failures').notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    /** No attempt under this key is checked before this time. */
    waitUntil: timestamp('wait_until', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_throttles_email_idx').on(t.emailKey)],
);
