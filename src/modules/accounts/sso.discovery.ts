/**
 * The provider's discovery document, fetched in the background with a timeout. Nothing but single sign-on
 * waits for it: password sign-in and sessions never touch the provider. A failure is logged and tried again
 * the next time someone presses the button; openid-client refuses a document whose `issuer` is not exactly
 * the configured one.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';
import { providerProblem } from './sso.problems.js';

function clientAuthentication(oidc: OidcConfig): client.ClientAuth {
  return oidc.tokenAuth === 'client_secret_post'
    ? client.ClientSecretPost(oidc.clientSecret)
    : client.ClientSecretBasic(oidc.clientSecret);
}

export function createSsoDiscovery(oidc: OidcConfig, log: FastifyBaseLogger) {
  let found: client.Configuration | undefined;
  let attempt: Promise<client.Configuration | undefined> | undefined;

  function discover(): Promise<client.Configuration | undefined> {
    attempt ??= client
      .discovery(new URL(oidc.issuer), oidc.clientId, undefined, clientAuthentication(oidc), {
        timeout: oidc.timeoutSeconds,
        execute: [
          // Check the ID token's signature even though it comes straight from the token endpoint: openid-client
          // would otherwise trust TLS alone (as OpenID Connect Core 3.1.3.7 permits), and kloe checks every token.
          client.enableNonRepudiationChecks,
          // config.ts accepts http only for a provider on this machine, outside production.
          ...(oidc.issuer.startsWith('http://') ? [client.allowInsecureRequests] : []),
        ],
      })
      .then(
        (configuration) => {
          found = configuration;
          log.info({ sso: 'discovered', issuer: oidc.issuer }, 'single sign-on provider found');
          return configuration;
        },
        (error: unknown) => {
          log.warn(
            { sso: 'discovery_failed', issuer: oidc.issuer, ...providerProblem(error) },
            'single sign-on provider discovery failed',
          );
          return undefined;
        },
      )
      .finally(() => {
        attempt = undefined;
      });
    return attempt;
  }

  void discover();

  return {
    /** The provider's configuration, or undefined when it cannot be reached (waits at most the timeout). */
    configuration: (): Promise<client.Configuration | undefined> => (found ? Promise.resolve(found) : discover()),

    /**
     * Origins kloe's forms may be sent on to (the CSP's form-action): the issuer's, and the authorisation and
     * end-session endpoints' once known. Chromium applies form-action to the redirect answering a form post
     * ("Sign in with …" is answered with the provider's authorisation URL, "Sign out" with its logout URL).
     */
    formActionOrigins(): string[] {
      const metadata = found?.serverMetadata();
      const endpoints = [metadata?.authorization_endpoint, metadata?.end_session_endpoint].filter(Boolean);
      return [...new Set([oidc.issuer, ...(endpoints as string[])].map((url) => new URL(url).origin))];
    },
  };
}

export type SsoDiscovery = ReturnType<typeof createSsoDiscovery>;
