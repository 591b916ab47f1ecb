/**
 * The OpenID Connect provider as better-auth's genericOAuth plugin sees it. Endpoints and signing keys
 * come from the issuer's discovery document; ID tokens must verify against them (with the nonce), PKCE
 * protects the code, and nobody is created: a person signs in only when an administrator has already
 * added them, matched by an email address the provider vouches for (or, after the first time, by the
 * provider's subject identifier that better-auth then keeps in `accounts`).
 */
import { genericOAuth } from 'better-auth/plugins';
import type { OidcConfig } from '../../config.js';
import { noteSsoProfile } from './sso.attempt.js';

export const SSO_PROVIDER_ID = 'oidc';
/** Where the provider sends people back to; register it with the provider as the redirect URI. */
export const SSO_CALLBACK_PATH = `/api/auth/callback/${SSO_PROVIDER_ID}`;

const isTrue = (value: unknown) => value === true || value === 'true';

/**
 * Whether the provider vouches for the email address: the standard `email_verified` claim, or
 * Microsoft Entra ID's optional `verified_primary_email` / `verified_secondary_email` claims (Entra
 * never sends `email_verified`, and its plain `email` claim is not verified).
 */
export function providerVerifiedEmail(profile: Record<string, unknown>): boolean {
  const email = typeof profile.email === 'string' ? profile.email.toLowerCase() : undefined;
  if (!email) return false;
  if (isTrue(profile.email_verified)) return true;
  return [profile.verified_primary_email, profile.verified_secondary_email]
    .flat()
    .some((address) => typeof address === 'string' && address.toLowerCase() === email);
}

export function ssoPlugin(oidc: OidcConfig) {
  return genericOAuth({
    config: [
      {
        providerId: SSO_PROVIDER_ID,
        name: oidc.name,
        discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
        // Without the issuer's keys an ID token could not be checked: then the provider is left out, not trusted blindly.
        requireIdTokenVerification: true,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        scopes: ['openid', 'email', 'profile'],
        pkce: true,
        disableImplicitSignUp: true,
        mapProfileToUser(profile) {
          const emailVerified = providerVerifiedEmail(profile);
          noteSsoProfile(typeof profile.email === 'string' ? profile.email.toLowerCase() : undefined, emailVerified);
          // Only whether the address is verified: kloe's name for the person stays as the administrator wrote it.
          return { emailVerified };
        },
      },
    ],
  });
}
