/** Environment → typed, validated configuration. Fails fast with one clear message per bad variable. */
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ROLES, type Role } from './db/schema.js';
import { FILE_TYPES, type FileType } from './files/file-types.js';
import type { S3StoreConfig } from './modules/evidence/index.js';
import { DEFAULT_CHROMIUM, DEFAULT_PDF_QUEUE } from './modules/reports/index.js';
import { secretIsGuessable } from './modules/system/index.js';

const databaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a URL such as postgres://user@127.0.0.1:5432/kloe');

/**
 * KLOE_OIDC_ROLE_MAP: `value=role` or `value=role@ORGANISATION-CODE` entries separated by `;`, in order of
 * precedence; a message naming the first bad entry otherwise.
 */
function parseRoleMap(value: string): RoleRule[] | string {
  const rules: RoleRule[] = [];
  for (const entry of value
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^(.+?)=([a-z_]+)(?:@(.+))?$/.exec(entry);
    const role = match?.[2] as Role | undefined;
    if (!match || !role || !ROLES.includes(role))
      return `has "${entry}": each entry is claim-value=role or claim-value=role@ORGANISATION-CODE, the role one of ${ROLES.join(', ')}`;
    rules.push({ value: match[1]!.trim(), role, organisationCode: match[3]?.trim() });
  }
  return rules.length > 0 ? rules : 'must list at least one claim-value=role entry';
}

/** A list in a variable: values separated by commas or spaces. */
const list = (value: string) => value.split(/[\s,]+/).filter(Boolean);

/** OpenID Connect requires https issuers; a provider on this machine may use http outside production. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** The names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

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
  KLOE_API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  KLOE_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)], {
      error: 'must be a number of processes from 1 to 64, or auto (one per CPU core)',
    })
    .default(1),
  KLOE_WATCH_TEMPLATES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .default(false),
  KLOE_DEMO: z.enum(['first-run', 'off'], { error: 'must be first-run or off' }).optional(),
  KLOE_SHUTDOWN_SECONDS: z.coerce.number().int().min(1).max(600).default(8),
  KLOE_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  KLOE_TEST_EXTRACTION_GATE: z.string().min(1).optional(),
  KLOE_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(72),
  KLOE_ADMIN_EMAIL: z.email('must be an email address').optional(),
  KLOE_ADMIN_PASSWORD: z.string().optional(),
  KLOE_OIDC_ISSUER: z
    .url({
      protocol: /^https?$/,
      error: 'must be the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0',
    })
    .optional(),
  KLOE_OIDC_CLIENT_ID: z.string().trim().min(1, 'must not be blank').optional(),
  KLOE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  KLOE_OIDC_NAME: z.string().trim().min(1).max(60, 'must be 60 characters or fewer').default('single sign-on'),
  KLOE_OIDC_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  KLOE_OIDC_PROMPT: z.enum(['select_account', 'login'], { error: 'must be select_account or login' }).optional(),
  KLOE_OIDC_DOMAIN_HINT: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain name, e.g. council.gov.uk')
    .optional(),
  KLOE_OIDC_ACR_VALUES: z.string().transform(list).optional(),
  KLOE_OIDC_REQUIRED_AMR: z.string().transform(list).optional(),
  KLOE_OIDC_ROLE_CLAIM: z.string().trim().min(1).max(100).optional(),
  KLOE_OIDC_ROLE_MAP: z
    .string()
    .transform((value, ctx) => {
      const rules = parseRoleMap(value);
      if (typeof rules === 'string') ctx.addIssue({ code: 'custom', message: rules });
      return typeof rules === 'string' ? z.NEVER : rules;
    })
    .optional(),
  KLOE_OIDC_JIT_DOMAINS: z
    .string()
    .transform((value) => list(value.toLowerCase()))
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must list domain names, e.g. council.gov.uk')).min(1))
    .optional(),
  KLOE_OIDC_JIT_ROLE: z.enum(['viewer', 'inspector'], { error: 'must be viewer or inspector' }).default('viewer'),
  KLOE_OIDC_TOKEN_AUTH: z
    .enum(['client_secret_basic', 'client_secret_post'], { error: 'must be client_secret_basic or client_secret_post' })
    .default('client_secret_basic'),
  KLOE_EVIDENCE_DIR: z.string().min(1).optional(),
  KLOE_EVIDENCE_STORE: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/,
      'must be s3://bucket or s3://bucket/prefix/ (a bucket name of lower-case letters, digits, dots and hyphens)',
    )
    .optional(),
  KLOE_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be the S3 server’s address, e.g. https://minio.example.org:9000' })
    .optional(),
  KLOE_S3_REGION: z.string().trim().min(1).optional(),
  KLOE_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  KLOE_EVIDENCE_MAX_MB: z.coerce.number().int().min(1).max(2048).default(50),
  KLOE_UPLOADS_AT_ONCE: z.coerce.number().int().min(1).max(1000).default(8),
  KLOE_EVIDENCE_TYPES: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim().toLowerCase()))
    .pipe(z.array(z.enum(FILE_TYPES, { error: `must list types among ${FILE_TYPES.join(', ')}` })).min(1))
    .optional(),
  KLOE_PDF_QUEUE: z.coerce.number().int().min(1).max(100).default(DEFAULT_PDF_QUEUE),
  /** The chromium that prints PDF reports (Debian's by default). */
  CHROMIUM_PATH: z.string().default(DEFAULT_CHROMIUM),
  KLOE_SMTP_URL: z
    .url('must be a URL such as smtps://user:password@smtp.example.org:465')
    .refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://')
    .optional(),
  KLOE_SMTP_FROM: z.string().trim().min(3).max(200).default('kloe <kloe@localhost>'),
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
  /** API calls (and /health) a caller may make a minute; 0: no limit. */
  apiRequestsPerMinute: number;
  /** Server processes sharing the port (PostgreSQL only: the embedded database belongs to one process). */
  workers: number;
  /**
   * Development of kloe itself: templates are read again on every render and pages are not memoised, so an
   * edited template shows on reload; pages are several times slower. Never implied by NODE_ENV.
   */
  watchTemplates: boolean;
  /** Whether the demo data is loaded into a database that has never had it; always off in production. */
  demo: DemoSetting;
  /** How long a stop (SIGTERM, Ctrl+C) waits for the requests in flight before exiting without them. */
  shutdownSeconds: number;
  /**
   * How long an idle keep-alive connection stays open; above a load balancer's own idle timeout, so that it
   * never sends a request on a connection kloe is closing.
   */
  keepAliveSeconds: number;
  /** The first administrator, created on an empty database when both are set. */
  admin: { email: string; password: string } | undefined;
  /** Single sign-on through an OpenID Connect provider (Microsoft Entra ID and others); absent when not set up. */
  oidc: OidcConfig | undefined;
  evidence: EvidenceConfig;
  reports: ReportsConfig;
  /** Notifications by email through this SMTP server (KLOE_SMTP_URL), from KLOE_SMTP_FROM; absent: in kloe only. */
  smtp: { url: string; from: string } | undefined;
  /**
   * The job queue: seconds without a heartbeat after which a job whose node died is retried by another
   * node (KLOE_JOB_HEARTBEAT_SECONDS, at least 10).
   */
  jobs: { heartbeatSeconds: number };
  /**
   * Tests of kloe only (NODE_ENV=test): background text extraction waits until this file exists before it
   * reads a file, so a test can kill the node that is extracting (KLOE_TEST_EXTRACTION_GATE).
   */
  testExtractionGate?: string | undefined;
}

export interface ReportsConfig {
  /** PDFs printing (one at a time) or waiting; one more is answered 503 with Retry-After. */
  pdfQueueSize: number;
  /** The chromium that prints them. */
  chromiumPath: string;
}

export type DemoSetting = 'first-run' | 'off';

/** The demo on a new database unless said otherwise, outside production: a newcomer lands in a living system. */
export const defaultDemo = (env: Config['env']): DemoSetting => (env === 'production' ? 'off' : 'first-run');

export interface EvidenceConfig {
  /**
   * Folder of the uploaded files (content-addressed); default <DATA_DIR>/evidence. With an object store it
   * holds only uploads being received (`incoming/`).
   */
  dir: string;
  /** S3-compatible object storage for the files instead of the folder (KLOE_EVIDENCE_STORE); absent: the folder. */
  s3?: S3StoreConfig | undefined;
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** The file types accepted, as sniffed from the bytes. */
  types: readonly FileType[];
  /** Upload requests (evidence, answers to requests, templates) received at once; one more is answered 503. */
  uploadsAtOnce: number;
}

export interface OidcConfig {
  /** The provider's issuer URL; its discovery document is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button: "Sign in with <name>". */
  name: string;
  /** How long kloe waits for each request to the provider (discovery, token exchange) before giving up. */
  timeoutSeconds: number;
  /** How kloe sends its client secret to the token endpoint, as registered at the provider (OAuth's default: basic). */
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
  /** Sent as `prompt`: select_account lets people choose among their accounts, login always asks again. */
  prompt: 'select_account' | 'login' | undefined;
  /** Sent as Entra ID's `domain_hint`, to go straight to the organisation's own sign-in. */
  domainHint: string | undefined;
  /** Requested as `acr_values`; when set, the ID token's `acr` must be one of them. */
  acrValues: string[];
  /** When set, the ID token's `amr` must include one of these (e.g. mfa). */
  requiredAmr: string[];
  /**
   * Just-in-time provisioning (off unless KLOE_OIDC_JIT_DOMAINS is set): someone unknown whose provider-verified
   * address is in one of these domains is added at their first sign-in, with this role.
   */
  provisioning: { domains: string[]; role: 'viewer' | 'inspector' } | undefined;
  /** Roles (and organisations) from a claim of the ID token, set at each sign-in; absent: administrators set roles. */
  roleMapping: { claim: string; rules: RoleRule[] } | undefined;
}

/** One entry of the role mapping: people whose claim holds `value` get `role` (in that organisation). */
export interface RoleRule {
  value: string;
  role: Role;
  organisationCode: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** KLOE_EVIDENCE_STORE=s3://bucket/prefix with the KLOE_S3_* around it. */
function s3Store(e: z.infer<typeof envSchema>): S3StoreConfig {
  const url = new URL(e.KLOE_EVIDENCE_STORE!);
  const prefix = url.pathname.replace(/^\/+/, '');
  return {
    bucket: url.hostname,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    endpoint: e.KLOE_S3_ENDPOINT?.replace(/\/$/, ''),
    region: e.KLOE_S3_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    // Most servers other than AWS's want the bucket in the path.
    forcePathStyle: e.KLOE_S3_FORCE_PATH_STYLE ?? Boolean(e.KLOE_S3_ENDPOINT),
  };
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
  if (e.NODE_ENV === 'production' && e.KLOE_DEMO === 'first-run') {
    throw new ConfigError('Invalid configuration: KLOE_DEMO=first-run is not allowed when NODE_ENV=production');
  }
  // http lets anyone on the way read and change the provider's answers: only a provider on this machine, outside production.
  if (
    e.KLOE_OIDC_ISSUER?.startsWith('http://') &&
    (e.NODE_ENV === 'production' || !LOOPBACK.test(new URL(e.KLOE_OIDC_ISSUER).hostname))
  ) {
    throw new ConfigError(
      'Invalid configuration: KLOE_OIDC_ISSUER must use https (http is accepted only for a provider on this machine, outside production)',
    );
  }
  if (Boolean(e.KLOE_OIDC_ROLE_CLAIM) !== Boolean(e.KLOE_OIDC_ROLE_MAP)) {
    throw new ConfigError('Invalid configuration: set both KLOE_OIDC_ROLE_CLAIM and KLOE_OIDC_ROLE_MAP, or neither');
  }
  const workers = e.KLOE_WORKERS === 'auto' ? availableParallelism() : e.KLOE_WORKERS;
  if (e.KLOE_S3_ENDPOINT && !e.KLOE_EVIDENCE_STORE) {
    throw new ConfigError(
      'Invalid configuration: KLOE_S3_ENDPOINT is set but KLOE_EVIDENCE_STORE is not (s3://bucket/prefix)',
    );
  }
  if (workers > 1 && !e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: KLOE_WORKERS above 1 needs DATABASE_URL (PostgreSQL); the embedded database serves one process',
    );
  }
  if (e.KLOE_TEST_EXTRACTION_GATE && e.NODE_ENV !== 'test') {
    throw new ConfigError('Invalid configuration: KLOE_TEST_EXTRACTION_GATE is for tests of kloe (NODE_ENV=test) only');
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
    apiRequestsPerMinute: e.KLOE_API_REQUESTS_PER_MINUTE,
    workers,
    watchTemplates: e.KLOE_WATCH_TEMPLATES,
    demo: e.KLOE_DEMO ?? defaultDemo(e.NODE_ENV),
    shutdownSeconds: e.KLOE_SHUTDOWN_SECONDS,
    keepAliveSeconds: e.KLOE_KEEP_ALIVE_SECONDS,
    admin: e.KLOE_ADMIN_EMAIL ? { email: e.KLOE_ADMIN_EMAIL, password: e.KLOE_ADMIN_PASSWORD! } : undefined,
    smtp: e.KLOE_SMTP_URL ? { url: e.KLOE_SMTP_URL, from: e.KLOE_SMTP_FROM } : undefined,
    oidc:
      oidcSet === 3
        ? {
            issuer: e.KLOE_OIDC_ISSUER!.replace(/\/$/, ''),
            clientId: e.KLOE_OIDC_CLIENT_ID!,
            clientSecret: e.KLOE_OIDC_CLIENT_SECRET!,
            name: e.KLOE_OIDC_NAME,
            timeoutSeconds: e.KLOE_OIDC_TIMEOUT_SECONDS,
            tokenAuth: e.KLOE_OIDC_TOKEN_AUTH,
            prompt: e.KLOE_OIDC_PROMPT,
            domainHint: e.KLOE_OIDC_DOMAIN_HINT,
            acrValues: e.KLOE_OIDC_ACR_VALUES ?? [],
            requiredAmr: e.KLOE_OIDC_REQUIRED_AMR ?? [],
            provisioning: e.KLOE_OIDC_JIT_DOMAINS
              ? { domains: e.KLOE_OIDC_JIT_DOMAINS, role: e.KLOE_OIDC_JIT_ROLE }
              : undefined,
            roleMapping: e.KLOE_OIDC_ROLE_CLAIM
              ? { claim: e.KLOE_OIDC_ROLE_CLAIM, rules: e.KLOE_OIDC_ROLE_MAP! }
              : undefined,
          }
        : undefined,
    evidence: {
      dir: path.resolve(e.KLOE_EVIDENCE_DIR ?? path.join(dataDir, 'evidence')),
      s3: e.KLOE_EVIDENCE_STORE ? s3Store(e) : undefined,
      maxBytes: e.KLOE_EVIDENCE_MAX_MB * 1024 * 1024,
      types: e.KLOE_EVIDENCE_TYPES ?? FILE_TYPES,
      uploadsAtOnce: e.KLOE_UPLOADS_AT_ONCE,
    },
    reports: { pdfQueueSize: e.KLOE_PDF_QUEUE, chromiumPath: e.CHROMIUM_PATH },
    jobs: { heartbeatSeconds: e.KLOE_JOB_HEARTBEAT_SECONDS },
    ...(e.KLOE_TEST_EXTRACTION_GATE ? { testExtractionGate: path.resolve(e.KLOE_TEST_EXTRACTION_GATE) } : {}),
  };
}
