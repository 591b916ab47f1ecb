import { describe, expect, it } from 'vitest';
import { providerVerifiedEmail } from './sso.provider.js';

describe('whether the provider vouches for the email address', () => {
  it('trusts the standard email_verified claim, as a boolean or the string some providers send', () => {
    expect(providerVerifiedEmail({ email: 'a@example.test', email_verified: true })).toBe(true);
    expect(providerVerifiedEmail({ email: 'a@example.test', email_verified: 'true' })).toBe(true);
    expect(providerVerifiedEmail({ email: 'a@example.test', email_verified: false })).toBe(false);
    expect(providerVerifiedEmail({ email: 'a@example.test', email_verified: 'false' })).toBe(false);
  });

  it('does not trust a bare email claim, such as Microsoft Entra ID sends', () => {
    expect(providerVerifiedEmail({ email: 'a@example.test' })).toBe(false);
  });

  it('trusts Entra ID’s verified_primary_email and verified_secondary_email only for the same address', () => {
    expect(providerVerifiedEmail({ email: 'A@Example.test', verified_primary_email: ['a@example.test'] })).toBe(true);
    expect(
      providerVerifiedEmail({
        email: 'a@example.test',
        verified_secondary_email: ['x@example.test', 'a@example.test'],
      }),
    ).toBe(true);
    expect(providerVerifiedEmail({ email: 'a@example.test', verified_primary_email: ['b@example.test'] })).toBe(false);
  });

  it('has nothing to vouch for without an address', () => {
    expect(providerVerifiedEmail({ email_verified: true })).toBe(false);
  });
});
