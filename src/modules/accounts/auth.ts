/**
 * better-auth does the sign-in machinery: argon2id password verification (through @node-rs/argon2),
 * sessions stored in the database behind a signed, http-only, SameSite=Lax cookie with sliding expiry,
 * and revoking them, and the session after single sign-on (sso.session.ts; kloe talks OpenID Connect itself, in
 * sso.service.ts). kloe keeps roles,
 * lock-out, absolute expiry and API tokens itself (accounts.service.ts).
 */
import { hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { accounts, sessions, users, verifications } from './accounts.tables.js';
import { refuseBarredPeople } from './session-guard.js';
import { ssoSessionPlugin } from './sso.session.js';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password);

export const SESSION_COOKIE_PREFIX = 'kloe';

export function createAuth(deps: { db: Database; config: Pick<Config, 'baseUrl' | 'session'>; secret: string }) {
  const { config } = deps;
  return betterAuth({
    appName: 'kloe',
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    secret: deps.secret,
    trustedOrigins: [config.baseUrl],
    telemetry: { enabled: false },
    database: drizzleAdapter(deps.db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: {
      enabled: true,
      // People are created by administrators (or the first-run setup), never by signing themselves up.
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 256,
      password: { hash: hashPassword, verify: ({ hash: h, password }) => verifyPassword(h, password) },
    },
    user: {
      additionalFields: {
        role: { type: 'string', input: false, required: false },
        organisationId: { type: 'string', input: false, required: false },
      },
    },
    // A server-only endpoint making the session once single sign-on has found the person; never on HTTP.
    plugins: [ssoSessionPlugin()],
    databaseHooks: { session: { create: { before: (session) => refuseBarredPeople(deps.db, session.userId) } } },
    session: {
      // Idle expiry: every use more than a minute after the last moves the expiry forward again.
      expiresIn: config.session.idleMinutes * 60,
      updateAge: 60,
    },
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      useSecureCookies: config.baseUrl.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    // kloe limits sign-in attempts itself (per address and per account), with messages of its own.
    rateLimit: { enabled: false },
    logger: { disabled: true },
  });
}

export type Auth = ReturnType<typeof createAuth>;
