/**
 * A real OpenID Connect provider for tests, listening on 127.0.0.1 at a random port: discovery, an
 * authorization endpoint that approves whoever the test has signed in at the provider (there is no
 * login page to drive), a token endpoint that checks the client secret, the redirect URI, PKCE (S256)
 * and single use of codes, RS256-signed ID tokens carrying the nonce, JWKS and userinfo. kloe talks to
 * it over real HTTP, so single sign-on is tested end to end with nothing faked inside kloe.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface FakeOidcUser {
  sub: string;
  email?: string;
  /** As the provider vouches for it; Microsoft Entra ID, for one, does not send this claim. */
  email_verified?: boolean;
  name?: string;
  /** Microsoft Entra ID's tenant and object ids. */
  tid?: string;
  oid?: string;
  /** How the person signed in (authentication context class and methods). */
  acr?: string;
  amr?: string[];
  /** Entra ID's app roles and group ids. */
  roles?: string[];
  groups?: string[];
}

export interface FakeOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who is signed in at the provider: authorization requests are approved as them from now on. */
  signInAs(user: FakeOidcUser): void;
  /** The next authorization request is answered with this OAuth error, e.g. access_denied (the person said no). */
  refuseNext(error: string): void;
  /** The next ID token is wrong in this way, as an attacker's or a broken provider's would be. */
  tamperNextIdToken(flaw: IdTokenFlaw): void;
  /** While on, token requests get no answer at all, as from a provider that hangs. */
  hangTokenRequests(on: boolean): void;
  /** A back-channel logout token for kloe, signed with the provider's key unless `forged`. */
  logoutToken(claims: { sub?: string; sid?: string; nonce?: string }, options?: { forged?: boolean }): Promise<string>;
  /** The query of every authorization request received, oldest first. */
  readonly authorizationRequests: URLSearchParams[];
  close(): Promise<void>;
}

/** `missing`: a token response without an ID token; `none`: an unsigned one (alg none). */
export type IdTokenFlaw = 'signature' | 'nonce' | 'audience' | 'issuer' | 'expired' | 'missing' | 'none';

interface Grant {
  user: FakeOidcUser;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 60_000;
const TOKEN_LIFETIME_S = 300;

const randomToken = () => randomBytes(24).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** client_secret_basic or client_secret_post, as RFC 6749 §2.3.1 allows either. */
function clientCredentials(req: IncomingMessage, body: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent);
    return { id, secret };
  }
  return { id: body.get('client_id') ?? undefined, secret: body.get('client_secret') ?? undefined };
}

/** What a real provider would refuse in an authorization request from the registered client. */
function requestError(q: URLSearchParams): string | undefined {
  if (q.get('response_type') !== 'code') return 'unsupported_response_type';
  if (!q.get('scope')?.split(' ').includes('openid')) return 'invalid_scope';
  if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return 'invalid_request';
  return undefined;
}

export async function startFakeOidcProvider(options: {
  /** The one redirect URI registered for the client, as at a real provider. */
  redirectUri: string;
  clientId?: string;
  clientSecret?: string;
  /** The issuer its discovery document claims, when it is to differ from its real address (a misconfiguration). */
  advertisedIssuer?: string;
}): Promise<FakeOidcProvider> {
  const clientId = options.clientId ?? 'kloe-test-client';
  const clientSecret = options.clientSecret ?? randomToken();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomToken().slice(0, 8);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, FakeOidcUser>();
  const authorizationRequests: URLSearchParams[] = [];
  let signedIn: FakeOidcUser | undefined;
  let refusal: string | undefined;
  let flaw: IdTokenFlaw | undefined;
  let hangTokens = false;
  let issuer = '';

  function discovery() {
    return {
      issuer: options.advertisedIssuer ?? issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      end_session_endpoint: `${issuer}/logout`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    authorizationRequests.push(q);
    // An unknown client or redirect URI is never redirected to (OIDC Core §3.1.2.6): the error stays here.
    if (q.get('client_id') !== clientId || q.get('redirect_uri') !== options.redirectUri) {
      return send(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
    }
    const back = new URL(options.redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    back.searchParams.set('iss', issuer); // RFC 9207, which better-auth checks when present
    const error = refusal ?? requestError(q) ?? (signedIn ? undefined : 'login_required');
    refusal = undefined;
    if (error) {
      back.searchParams.set('error', error);
    } else {
      const code = randomToken();
      grants.set(code, {
        user: signedIn!,
        redirectUri: options.redirectUri,
        codeChallenge: q.get('code_challenge')!,
        nonce: q.get('nonce'),
        expiresAt: Date.now() + CODE_LIFETIME_MS,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function signIdToken(grant: Grant, flawed: IdTokenFlaw | undefined): Promise<string> {
    const nonce = flawed === 'nonce' ? 'a-nonce-kloe-never-sent' : grant.nonce;
    const claims = { ...grant.user, ...(nonce ? { nonce } : {}) };
    if (flawed === 'none') {
      const now = Math.floor(Date.now() / 1000);
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const payload = { ...claims, iss: issuer, aud: clientId, iat: now, exp: now + TOKEN_LIFETIME_S };
      return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
    }
    // A key of the right type and id that is not the one published in the JWKS: a forgery.
    const key = flawed === 'signature' ? (await generateKeyPair('RS256')).privateKey : privateKey;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(flawed === 'issuer' ? 'https://issuer.example' : issuer)
      .setAudience(flawed === 'audience' ? 'another-client' : clientId)
      .setSubject(grant.user.sub)
      .setIssuedAt(flawed === 'expired' ? '2 hours ago' : undefined)
      .setExpirationTime(flawed === 'expired' ? '1 hour ago' : `${TOKEN_LIFETIME_S}s`)
      .sign(key);
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    if (hangTokens) return; // no answer: the connection stays open until the client gives up or the server closes
    const body = await formBody(req);
    const client = clientCredentials(req, body);
    if (client.id !== clientId || client.secret !== clientSecret) return send(res, 401, { error: 'invalid_client' });
    if (body.get('grant_type') !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
    const code = body.get('code') ?? '';
    const grant = grants.get(code);
    grants.delete(code); // single use, whatever happens next
    const verifier = body.get('code_verifier');
    if (
      !grant ||
      grant.expiresAt < Date.now() ||
      grant.redirectUri !== body.get('redirect_uri') ||
      !verifier ||
      s256(verifier) !== grant.codeChallenge
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const accessToken = randomToken();
    accessTokens.set(accessToken, grant.user);
    const idToken = flaw === 'missing' ? undefined : await signIdToken(grant, flaw);
    flaw = undefined;
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ...(idToken ? { id_token: idToken } : {}),
    });
  }

  function userinfo(req: IncomingMessage, res: ServerResponse) {
    const user = accessTokens.get(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (!user)
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    send(res, 200, user);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', issuer);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return send(res, 200, discovery());
      case 'GET /authorize':
        return authorize(url, res);
      case 'POST /token':
        return token(req, res);
      case 'GET /jwks':
        return send(res, 200, { keys: [jwk] });
      case 'GET /userinfo':
        return userinfo(req, res);
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => send(res, 500, { error: 'server_error', detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    clientId,
    clientSecret,
    authorizationRequests,
    signInAs(user) {
      signedIn = user;
    },
    refuseNext(error) {
      refusal = error;
    },
    tamperNextIdToken(kind) {
      flaw = kind;
    },
    hangTokenRequests(on) {
      hangTokens = on;
    },
    async logoutToken(claims, tokenOptions = {}) {
      const key = tokenOptions.forged ? (await generateKeyPair('RS256')).privateKey : privateKey;
      return new SignJWT({ ...claims, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'logout+jwt' })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setIssuedAt()
        .setJti(randomToken())
        .sign(key);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
