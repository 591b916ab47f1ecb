/**
 * The OpenID Connect provider as kloe names it: its id among the identities in `accounts`, the callback
 * path to register with it, and what in its ID token vouches for an email address.
 */

export const SSO_PROVIDER_ID = 'oidc';
/** Where the provider sends people back to; register it with the provider as the redirect URI. */
export const SSO_CALLBACK_PATH = `/api/auth/callback/${SSO_PROVIDER_ID}`;
/** Where the provider posts its back-channel logout tokens; register it as the back-channel logout URI. */
export const SSO_BACKCHANNEL_LOGOUT_PATH = `/api/auth/backchannel-logout/${SSO_PROVIDER_ID}`;
/** Where the provider sends people after signing out there; register it as the post-logout redirect URI. */
export const SIGNED_OUT_PATH = '/sign-in?signedOut=1';

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
