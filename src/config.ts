/** Environment → typed, validated configuration. Fails fast with one clear message per bad variable. */
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { FILE_TYPES, type FileType } from './modules/evidence/file-types.js';
import { secretIsGuessable } from './modules/system/secret-strength.js';

const databaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a URL such as postgres://user@127.0.0.1:5432/kloe');

/** The names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** OpenID Connect requires https issuers; a provider on this machine (development, tests) may use http. */
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])$/;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: databaseUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KLOE_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be the address people use, e.g. https://kloe.example.org' })
    .optional(),
  KLOE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  KLOE_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  KLOE_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  KLOE_TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (item) => PROXY_NAMES.has(item) || isIP(item.replace(/\/\d{1,3}$/, '')) !== 0,
            'must list the reverse proxies’ addresses or CIDR ranges (or loopback, uniquelocal), separated by commas',
          ),
      ),
    )
    .optional(),
  KLOE_SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  KLOE_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)], {
      error: 'must be a number of processes from 1 to 64, or auto (one per CPU core)',
    })
    .default(1),
  KLOE_ADMIN_EMAIL: z.email('must be an email address').optional(),
  KLOE_ADMIN_PASSWORD: z.string().optional(),
  KLOE_OIDC_ISSUER: z
    .url({
      protocol: /^https?$/,
      error: 'must be the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0',
    })
    .refine(
      (value) => value.startsWith('https://') || (URL.canParse(value) && LOOPBACK.test(new URL(value).hostname)),
      'must use https (http is accepted only for a provider on this machine)',
    )
    .optional(),
  KLOE_OIDC_CLIENT_ID: z.string().trim().min(1, 'must not be blank').optional(),
  KLOE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  KLOE_OIDC_NAME: z.string().trim().min(1).max(60, 'must be 60 characters or fewer').default('single sign-on'),
  KLOE_EVIDENCE_DIR: z.string().min(1).optional(),
  KLOE_EVIDENCE_MAX_MB: z.coerce.number().int().min(1).max(2048).default(50),
  KLOE_EVIDENCE_TYPES: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim().toLowerCase()))
    .pipe(z.array(z.enum(FILE_TYPES, { error: `must list types among ${FILE_TYPES.join(', ')}` })).min(1))
    .optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Absolute path of the folder holding the embedded database (and, later, uploaded files). */
  dataDir: string;
  /** PostgreSQL connection string; when absent kloe uses the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Where people reach kloe; sign-in links and cookies are made for it. https turns on secure cookies and HSTS. */
  baseUrl: string;
  /** Signs session cookies. When unset (not allowed in production) kloe keeps a generated one in its database. */
  secret: string | undefined;
  session: { idleMinutes: number; maxHours: number };
  /**
   * The reverse proxies (load balancers) in front of kloe, whose X-Forwarded-For is believed: the client's
   * address is what sign-in throttling and rate limits count. Unset, the connection's address is used.
   */
  trustProxy?: string[] | undefined;
  /** Sign-in attempts allowed from one address per minute, before 429 Too Many Requests. */
  signInAttemptsPerMinute: number;
  /** Server processes sharing the port (PostgreSQL only: the embedded database belongs to one process). */
  workers: number;
  /** The first administrator, created on an empty database when both are set. */
  admin: { email: string; password: string } | undefined;
  /** Single sign-on through an OpenID Connect provider (Microsoft Entra ID and others); absent when not set up. */
  oidc: OidcConfig | undefined;
  evidence: EvidenceConfig;
}

export interface EvidenceConfig {
  /** Folder of the uploaded files (content-addressed); default <DATA_DIR>/evidence. */
  dir: string;
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** The file types accepted, as sniffed from the bytes. */
  types: readonly FileType[];
}

export interface OidcConfig {
  /** The provider's issuer URL; its discovery document is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button: "Sign in with <name>". */
  name: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= kloe …`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.KLOE_SECRET) {
    throw new ConfigError(
      'Invalid configuration: KLOE_SECRET must be set in production (32 or more random characters)',
    );
  }
  if (e.NODE_ENV === 'production' && secretIsGuessable(e.KLOE_SECRET!)) {
    throw new ConfigError(
      'Invalid configuration: KLOE_SECRET is too easy to guess (repeats, sequences or words); make one with `openssl rand -base64 32`',
    );
  }
  if (Boolean(e.KLOE_ADMIN_EMAIL) !== Boolean(e.KLOE_ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: set both KLOE_ADMIN_EMAIL and KLOE_ADMIN_PASSWORD, or neither');
  }
  const oidcSet = [e.KLOE_OIDC_ISSUER, e.KLOE_OIDC_CLIENT_ID, e.KLOE_OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet !== 0 && oidcSet !== 3) {
    throw new ConfigError(
      'Invalid configuration: set all of KLOE_OIDC_ISSUER, KLOE_OIDC_CLIENT_ID and KLOE_OIDC_CLIENT_SECRET, or none',
    );
  }
  const workers = e.KLOE_WORKERS === 'auto' ? availableParallelism() : e.KLOE_WORKERS;
  if (workers > 1 && !e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: KLOE_WORKERS above 1 needs DATABASE_URL (PostgreSQL); the embedded database serves one process',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    baseUrl: (e.KLOE_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    secret: e.KLOE_SECRET,
    session: { idleMinutes: e.KLOE_SESSION_IDLE_MINUTES, maxHours: e.KLOE_SESSION_MAX_HOURS },
    trustProxy: e.KLOE_TRUST_PROXY,
    signInAttemptsPerMinute: e.KLOE_SIGN_IN_ATTEMPTS_PER_MINUTE,
    workers,
    admin: e.KLOE_ADMIN_EMAIL ? { email: e.KLOE_ADMIN_EMAIL, password: e.KLOE_ADMIN_PASSWORD! } : undefined,
    oidc:
      oidcSet === 3
        ? {
            issuer: e.KLOE_OIDC_ISSUER!.replace(/\/$/, ''),
            clientId: e.KLOE_OIDC_CLIENT_ID!,
            clientSecret: e.KLOE_OIDC_CLIENT_SECRET!,
            name: e.KLOE_OIDC_NAME,
          }
        : undefined,
    evidence: {
      dir: path.resolve(e.KLOE_EVIDENCE_DIR ?? path.join(dataDir, 'evidence')),
      maxBytes: e.KLOE_EVIDENCE_MAX_MB * 1024 * 1024,
      types: e.KLOE_EVIDENCE_TYPES ?? FILE_TYPES,
    },
  };
}
