/**
 * The OpenID Connect provider as kloe names it: its ids among the identities in `accounts`, the paths to
 * register with it, which identities an ID token carries, and what in it vouches for an email address.
 */

export const SSO_PROVIDER_ID = 'oidc';
/** Microsoft Entra ID's `tid/oid`: the same person in every app registration of the tenant, unlike `sub`. */
export const ENTRA_OBJECT_PROVIDER_ID = 'oidc-entra-object';
/** Every provider id under which single sign-on identities are kept in `accounts`. */
export const SSO_PROVIDER_IDS = [SSO_PROVIDER_ID, ENTRA_OBJECT_PROVIDER_ID] as const;
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

export interface ProviderIdentity {
  providerId: (typeof SSO_PROVIDER_IDS)[number];
  accountId: string;
  /** Its name in the audit trail. */
  label: 'subject' | 'entraObject';
}

/** The identities an ID token names: always its `sub`; with Entra ID also `tid/oid`. */
export function identitiesOf(claims: { sub: string; tid?: unknown; oid?: unknown }): ProviderIdentity[] {
  const identities: ProviderIdentity[] = [{ providerId: SSO_PROVIDER_ID, accountId: claims.sub, label: 'subject' }];
  if (typeof claims.tid === 'string' && typeof claims.oid === 'string' && claims.tid && claims.oid) {
    identities.push({
      providerId: ENTRA_OBJECT_PROVIDER_ID,
      accountId: `${claims.tid}/${claims.oid}`,
      label: 'entraObject',
    });
  }
  return identities;
}
