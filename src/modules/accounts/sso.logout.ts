/**
 * OpenID Connect Back-Channel Logout 1.0: the provider posts a signed logout token when a person's session
 * there ends, and kloe ends the sessions it made from it. The token is checked as the specification asks
 * (§2.6): signature against the provider's keys, issuer, audience, age, the back-channel logout event, a
 * `sub` or `sid`, and no `nonce`.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** How old a logout token may be: it is sent the moment the session ends. */
const MAX_AGE = '5 minutes';

export type LogoutClaims = { subject: string | undefined; sid: string | undefined };

/** Verifies logout tokens against the provider's keys, fetched (and cached) from its jwks_uri. */
export function createLogoutTokenVerifier(oidc: OidcConfig) {
  let keys: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

  return async function verify(configuration: client.Configuration, token: string): Promise<LogoutClaims> {
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri) throw new Error('the provider publishes no jwks_uri');
    if (keys?.uri !== metadata.jwks_uri) {
      keys = {
        uri: metadata.jwks_uri,
        set: createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: oidc.timeoutSeconds * 1000 }),
      };
    }
    const { payload, protectedHeader } = await jwtVerify(token, keys.set, {
      issuer: metadata.issuer,
      audience: oidc.clientId,
      maxTokenAge: MAX_AGE,
      requiredClaims: ['iat', 'events'],
    });
    if (protectedHeader.typ && protectedHeader.typ !== 'logout+jwt' && protectedHeader.typ !== 'JWT')
      throw new Error(`unexpected token type ${protectedHeader.typ}`);
    const claims = payload as JWTPayload & { events?: Record<string, unknown>; sid?: unknown; nonce?: unknown };
    if (typeof claims.events !== 'object' || !(LOGOUT_EVENT in claims.events))
      throw new Error('not a back-channel logout token (no logout event)');
    if (claims.nonce !== undefined) throw new Error('a logout token must not carry a nonce');
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    if (!claims.sub && !sid) throw new Error('a logout token must name a sub or a sid');
    return { subject: claims.sub, sid };
  };
}
