/**
 * A real, certified OpenID provider for the browser tests: panva's oidc-provider, in this process, on
 * `localhost` while kloe runs on `127.0.0.1`, so that the provider's redirect back is cross-site as in real
 * use. Its own development login page takes any login and password: the login is the account, whose
 * claims the test sets. RP-initiated and back-channel logout are on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** App roles, as Entra ID sends them. */
  roles?: string[];
}

export interface RunningProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The people who can sign in at the provider, by login. */
  accounts: Map<string, ProviderAccount>;
  stop(): Promise<void>;
}

/** A port free now on 127.0.0.1, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `kloeUrl`: where kloe will run, for the redirect URIs registered for it. */
export async function startOidcProvider(kloeUrl: string): Promise<RunningProvider> {
  const accounts = new Map<string, ProviderAccount>();
  const clientId = 'kloe';
  const clientSecret = randomBytes(24).toString('base64url');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${kloeUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${kloeUrl}/sign-in?signedOut=1`],
        backchannel_logout_uri: `${kloeUrl}/api/auth/backchannel-logout/oidc`,
        backchannel_logout_session_required: true,
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    claims: { openid: ['sub', 'roles'], email: ['email', 'email_verified'], profile: ['name'] },
    // Claims in the ID token itself, as Entra ID sends them, rather than only from userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // oidc-provider refuses to call special-use addresses (SSRF protection); here kloe's back-channel logout URI
    // is on 127.0.0.1, so its calls go out without that guard. A real provider calls kloe's public address.
    fetch: (url, options) => {
      const unguarded: RequestInit & { dispatcher?: unknown } = { ...options };
      delete unguarded.dispatcher;
      return fetch(url, unguarded);
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
  provider.on('backchannel.error', (_ctx, error) => console.error('oidc-provider backchannel.error', error));
  const handle = provider.callback();
  // Koa's handler answers the request itself, errors included; the promise it returns only says when it is done.
  server.on('request', (req, res) => void handle(req, res));

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
