/** API token material: random, shown once, kept only as a SHA-256 hash. Pure apart from randomness. */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'kloe_';

/** How long a token lives: chosen when it is made, from these days; 90 unless said otherwise, never over a year. */
export const TOKEN_EXPIRY_DAYS = { choices: [7, 30, 90, 365], default: 90, max: 365 } as const;

export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashApiToken(token) };
}

/** A fast hash is right here: the token is 256 random bits, so there is nothing to brute-force. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token in an "Authorization: Bearer …" header, if it looks like one of ours. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1]?.startsWith(TOKEN_PREFIX) ? match[1] : undefined;
}
