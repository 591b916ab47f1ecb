/** Request schemas for people and tokens, shared by the JSON API and the forms. */
import { z } from 'zod';
import { nameText } from '../../web/text-fields.js';
import { ROLES, TOKEN_SCOPES } from './accounts.tables.js';
import { TOKEN_EXPIRY_DAYS } from './api-tokens.js';

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  administrator: 'Administrator',
  inspector: 'Inspector',
  organisation_member: 'Organisation member',
  viewer: 'Viewer',
};

/** An email address better-auth will sign in with (it refuses one without a dot in the domain, e.g. admin@localhost). */
export const emailAddress = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .pipe(z.email('Enter an email address in the correct format, like name@example.org'));

const role = z.enum(ROLES, { error: 'Choose a role' });
const organisationId = z
  .union([z.uuid('Choose an organisation'), z.literal('').transform(() => null), z.null()])
  .optional()
  .transform((value) => value ?? null);

export const createUserBody = z.object({
  name: nameText({ error: 'Enter the person’s name' }).min(1, 'Enter the person’s name').max(200),
  email: emailAddress,
  role,
  organisationId,
  password: z.string({ error: 'Enter a password' }),
});

/** The first administrator's setup form: their own email address in place of admin@localhost, and a password. */
export const setupBody = z.object({
  email: emailAddress,
  password: z.string({ error: 'Enter a password' }),
});

export const updateUserBody = z
  .object({
    role: role.optional(),
    organisationId,
    disabled: z.boolean().optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((body) => body.role !== undefined || body.disabled !== undefined, 'Give a role or disabled');

export const resetPasswordBody = z.object({ password: z.string({ error: 'Enter a password' }) });

export const signInBody = z.object({
  email: z.string().trim().default(''),
  password: z.string().default(''),
  next: z.string().optional(),
});

export const createTokenBody = z.object({
  name: nameText({ error: 'Give the token a name' }).min(1, 'Give the token a name').max(100),
  scope: z
    .enum(TOKEN_SCOPES, { error: 'Choose read only, or read and write' })
    .default('read')
    .describe('read: GET and HEAD only; write: everything its owner may do'),
  expiresInDays: z.coerce
    .number({ error: 'Enter the number of days the token lasts' })
    .int('Enter a whole number of days')
    .min(1, 'A token must last at least 1 day')
    .max(TOKEN_EXPIRY_DAYS.max, `A token can last at most ${TOKEN_EXPIRY_DAYS.max} days`)
    .default(TOKEN_EXPIRY_DAYS.default),
});

export const userIdParams = z.object({ id: z.string().min(1).max(64) });
export const tokenIdParams = z.object({ id: z.uuid('must be a token id') });

export const userResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  organisationId: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const tokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
