import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';

const SECRET = 'a-client-secret-nobody-may-see';
const ENTRA = {
  KLOE_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/',
  KLOE_OIDC_CLIENT_ID: 'kloe',
  KLOE_OIDC_CLIENT_SECRET: SECRET,
};

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('single sign-on configuration', () => {
  it('is off when none of the variables are set', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('takes the issuer (without a trailing slash), the client and a default button name', () => {
    expect(loadConfig(ENTRA).oidc).toEqual({
      issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      clientId: 'kloe',
      clientSecret: SECRET,
      name: 'single sign-on',
      timeoutSeconds: 10,
      tokenAuth: 'client_secret_basic',
      prompt: undefined,
      domainHint: undefined,
      acrValues: [],
      requiredAmr: [],
      provisioning: undefined,
      roleMapping: undefined,
    });
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_NAME: 'Microsoft' }).oidc?.name).toBe('Microsoft');
  });

  it('wants all three of issuer, client id and secret, or none, and never repeats the secret', () => {
    for (const missing of Object.keys(ENTRA)) {
      const message = configError({ ...ENTRA, [missing]: '' });
      expect(message).toBe(
        'Invalid configuration: set all of KLOE_OIDC_ISSUER, KLOE_OIDC_CLIENT_ID and KLOE_OIDC_CLIENT_SECRET, or none',
      );
      expect(message).not.toContain(SECRET);
    }
  });

  it('wants an https issuer, except for a provider on this machine', () => {
    expect(configError({ ...ENTRA, KLOE_OIDC_ISSUER: 'http://login.example.org' })).toBe(
      'Invalid configuration: KLOE_OIDC_ISSUER must use https (http is accepted only for a provider on this machine, outside production)',
    );
    expect(configError({ ...ENTRA, KLOE_OIDC_ISSUER: 'not a url' })).toMatch(
      /^Invalid configuration: KLOE_OIDC_ISSUER must be the issuer URL/,
    );
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidc?.issuer).toBe(
      'http://127.0.0.1:8080',
    );
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_ISSUER: 'http://localhost:8080/realms/kloe' }).oidc?.issuer).toBe(
      'http://localhost:8080/realms/kloe',
    );
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_ISSUER: 'http://127.0.0.2:8080' }).oidc?.issuer).toBe(
      'http://127.0.0.2:8080',
    );
  });

  it('refuses an http issuer in production, even on this machine', () => {
    const production = { ...ENTRA, NODE_ENV: 'production', KLOE_SECRET: 'q3Yl0c9VxS7mR2fJ8kT4wB1nZ6hD5gPa' };
    expect(configError({ ...production, KLOE_OIDC_ISSUER: 'http://127.0.0.1:8080' })).toBe(
      'Invalid configuration: KLOE_OIDC_ISSUER must use https (http is accepted only for a provider on this machine, outside production)',
    );
    expect(loadConfig(production).oidc?.issuer).toBe(ENTRA.KLOE_OIDC_ISSUER.replace(/\/$/, ''));
  });

  it('sends the client secret as the provider registered it', () => {
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_TOKEN_AUTH: 'client_secret_post' }).oidc?.tokenAuth).toBe(
      'client_secret_post',
    );
    expect(configError({ ...ENTRA, KLOE_OIDC_TOKEN_AUTH: 'private_key_jwt' })).toBe(
      'Invalid configuration: KLOE_OIDC_TOKEN_AUTH must be client_secret_basic or client_secret_post',
    );
  });

  it('takes the prompt, domain hint and required acr / amr values', () => {
    const oidc = loadConfig({
      ...ENTRA,
      KLOE_OIDC_PROMPT: 'select_account',
      KLOE_OIDC_DOMAIN_HINT: 'council.gov.uk',
      KLOE_OIDC_ACR_VALUES: 'urn:a, urn:b',
      KLOE_OIDC_REQUIRED_AMR: 'mfa',
    }).oidc;
    expect(oidc).toMatchObject({
      prompt: 'select_account',
      domainHint: 'council.gov.uk',
      acrValues: ['urn:a', 'urn:b'],
      requiredAmr: ['mfa'],
    });
    expect(configError({ ...ENTRA, KLOE_OIDC_PROMPT: 'none' })).toBe(
      'Invalid configuration: KLOE_OIDC_PROMPT must be select_account or login',
    );
    expect(configError({ ...ENTRA, KLOE_OIDC_DOMAIN_HINT: 'not a domain' })).toBe(
      'Invalid configuration: KLOE_OIDC_DOMAIN_HINT must be a domain name, e.g. council.gov.uk',
    );
  });

  it('takes a role mapping of claim values to roles (and organisations), in order', () => {
    const mapping = loadConfig({
      ...ENTRA,
      KLOE_OIDC_ROLE_CLAIM: 'roles',
      KLOE_OIDC_ROLE_MAP: 'kloe.admin=administrator; ashdown=organisation_member@ASHDOWN',
    }).oidc?.roleMapping;
    expect(mapping).toEqual({
      claim: 'roles',
      rules: [
        { value: 'kloe.admin', role: 'administrator', organisationCode: undefined },
        { value: 'ashdown', role: 'organisation_member', organisationCode: 'ASHDOWN' },
      ],
    });
    expect(configError({ ...ENTRA, KLOE_OIDC_ROLE_CLAIM: 'roles', KLOE_OIDC_ROLE_MAP: 'kloe.admin=boss' })).toMatch(
      /^Invalid configuration: KLOE_OIDC_ROLE_MAP has "kloe.admin=boss": each entry is claim-value=role/,
    );
    expect(configError({ ...ENTRA, KLOE_OIDC_ROLE_CLAIM: 'roles' })).toBe(
      'Invalid configuration: set both KLOE_OIDC_ROLE_CLAIM and KLOE_OIDC_ROLE_MAP, or neither',
    );
  });

  it('turns on just-in-time provisioning only for the domains listed, as viewers unless told', () => {
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_JIT_DOMAINS: 'Council.gov.uk, school.org' }).oidc?.provisioning).toEqual({
      domains: ['council.gov.uk', 'school.org'],
      role: 'viewer',
    });
    expect(configError({ ...ENTRA, KLOE_OIDC_JIT_DOMAINS: 'x.org', KLOE_OIDC_JIT_ROLE: 'administrator' })).toBe(
      'Invalid configuration: KLOE_OIDC_JIT_ROLE must be viewer or inspector',
    );
  });

  it('bounds how long kloe waits for the provider', () => {
    expect(loadConfig({ ...ENTRA, KLOE_OIDC_TIMEOUT_SECONDS: '3' }).oidc?.timeoutSeconds).toBe(3);
    expect(configError({ ...ENTRA, KLOE_OIDC_TIMEOUT_SECONDS: '0' })).toMatch(
      /^Invalid configuration: KLOE_OIDC_TIMEOUT_SECONDS /,
    );
  });
});
