/**
 * Single sign-on through OpenID Connect, as a relying party built on openid-client (OpenID-certified):
 * the authorisation request (PKCE, state, nonce), the token exchange with a timeout, and the ID token's
 * checks (signature against the provider's keys, issuer, audience, expiry, nonce; a token response without
 * an ID token is refused). kloe then decides who the person is: a provider identity already linked to
 * someone (the `sub`, and Entra ID's tenant and object ids, which survive a new app registration), else
 * someone an administrator added with the address the provider vouches for. Nobody is
 * created by signing in, unless just-in-time provisioning is on for the address's domain. The identity
 * is linked only once the person is let in (and the link is audited),
 * and the session is better-auth's, exactly as after a password sign-in (sso.session.ts). Signing out ends
 * the session at the provider too where it allows (RP-initiated logout), and the provider's back-channel
 * logout ends kloe's sessions (sso.logout.ts).
 */
import * as client from 'openid-client';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './accounts.repository.js';
import type { AccountsService } from './accounts.service.js';
import type { Auth } from './auth.js';
import { sessionRefusal, type SessionRefusal } from './session-guard.js';
import type { SsoDiscovery } from './sso.discovery.js';
import { providerProblem, type ProviderProblem } from './sso.problems.js';
import { createLogoutTokenVerifier, type LogoutClaims } from './sso.logout.js';
import {
  identitiesOf,
  providerVerifiedEmail,
  SIGNED_OUT_PATH,
  SSO_CALLBACK_PATH,
  type ProviderIdentity,
} from './sso.provider.js';
import * as ssoRepo from './sso.repository.js';
import { mappedRole } from './sso.roles.js';

/** How long a sign-in may take at the provider before its state is forgotten. */
const PENDING_MINUTES = 10;
const SSO_ACTOR = { kind: 'system', label: 'single sign-on' } as const;

export type SsoFailure =
  /** No one in kloe has the address (and the provider may not have vouched for it either). */
  | { reason: 'not_set_up'; email: string; emailVerified: boolean }
  /** Someone in kloe has the address, but the provider did not vouch that it is the person's. */
  | { reason: 'unverified_email'; email: string }
  /** The ID token has no `email` claim, so an unlinked person cannot be matched. */
  | { reason: 'missing_email' }
  | SessionRefusal
  /** The provider did not say the person signed in as strongly as kloe requires (acr / amr). */
  | { reason: 'weak_authentication'; claim: 'acr' | 'amr'; got: string[] }
  /** Role mapping is on, and the person's claim gives them no kloe role (or one that cannot be given). */
  | { reason: 'no_role'; claim: string; detail?: string }
  /** The person said no at the provider (access_denied). */
  | { reason: 'cancelled' }
  /** No such sign-in in progress: too slow, started in another browser, or a replayed callback. */
  | { reason: 'expired' }
  /** The provider could not be reached or did not answer in time. */
  | ({ reason: 'unavailable' } & ProviderProblem)
  /** The provider refused, or answered with something kloe does not trust (for the log). */
  | ({ reason: 'failed' } & ProviderProblem);

export type SsoOutcome = ({ ok: true; next: string; setCookies: string[] } | ({ ok: false } & SsoFailure)) & {
  /** The person the provider vouched for, when known: for the log. */
  subject?: string;
};

export type SsoStart = { ok: true; url: string; state: string } | { ok: false };

function failureOf(error: unknown): SsoFailure {
  if (error instanceof client.AuthorizationResponseError && error.error === 'access_denied')
    return { reason: 'cancelled' };
  const problem = providerProblem(error);
  return problem.problem === 'timeout' || problem.problem === 'unreachable'
    ? { reason: 'unavailable', ...problem }
    : { reason: 'failed', ...problem };
}

/** Undefined when single sign-on is not configured. */
export function createSsoService(deps: {
  db: Database;
  auth: Auth;
  accounts: Pick<AccountsService, 'setRole' | 'create'>;
  discovery: SsoDiscovery | undefined;
  config: Pick<Config, 'baseUrl' | 'oidc'>;
}) {
  const { db, auth, accounts, discovery, config } = deps;
  if (!config.oidc || !discovery) return undefined;
  const oidc = config.oidc;
  const callbackUrl = `${config.baseUrl}${SSO_CALLBACK_PATH}`;
  /** Registered at the provider as the post-logout redirect URI. */
  const signedOutUrl = `${config.baseUrl}${SIGNED_OUT_PATH}`;
  const verifyLogoutToken = createLogoutTokenVerifier(oidc);

  /** Why the way the person signed in at the provider is not enough, when KLOE_OIDC_ACR_VALUES or _REQUIRED_AMR ask more. */
  function weakAuthentication(claims: client.IDToken): SsoFailure | undefined {
    const acr = typeof claims.acr === 'string' ? claims.acr : undefined;
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
    if (oidc.acrValues.length > 0 && !(acr && oidc.acrValues.includes(acr)))
      return { reason: 'weak_authentication', claim: 'acr', got: acr ? [acr] : [] };
    if (oidc.requiredAmr.length > 0 && !amr.some((method) => oidc.requiredAmr.includes(method)))
      return { reason: 'weak_authentication', claim: 'amr', got: amr };
    return undefined;
  }

  /** Sets the person's role from the ID token when role mapping is on (audited as user.role_changed). */
  async function applyRoleMapping(user: repo.UserRow, claims: client.IDToken): Promise<SsoFailure | undefined> {
    const mapping = oidc.roleMapping;
    if (!mapping) return undefined;
    const rule = mappedRole(mapping.rules, claims[mapping.claim]);
    if (!rule) return { reason: 'no_role', claim: mapping.claim };
    const organisationId = rule.organisationCode
      ? ((await repo.findOrganisationIdByCode(db, rule.organisationCode)) ?? null)
      : null;
    if (rule.organisationCode && !organisationId)
      return { reason: 'no_role', claim: mapping.claim, detail: `no organisation with code ${rule.organisationCode}` };
    if (user.role === rule.role && user.organisationId === organisationId) return undefined;
    try {
      await accounts.setRole(
        user.id,
        rule.role,
        organisationId,
        SSO_ACTOR,
        `from the provider's ${mapping.claim} claim`,
      );
    } catch (error) {
      if (error instanceof AppError) return { reason: 'no_role', claim: mapping.claim, detail: error.message };
      throw error;
    }
    return undefined;
  }

  /** Whether just-in-time provisioning (off by default) covers this provider-verified address. */
  function provisioned(email: string): boolean {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return oidc.provisioning?.domains.includes(domain) ?? false;
  }

  /** Adds someone at their first sign-in (audited as user.created by single sign-on). */
  async function provision(email: string, claims: client.IDToken): Promise<repo.UserRow> {
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
    const role = oidc.provisioning!.role;
    const created = await accounts.create({ name, email, role, organisationId: null, password: null }, SSO_ACTOR);
    return (await repo.findUserById(db, created.id))!;
  }

  /** The person this verified ID token stands for, and which of its identities are not linked yet; or why not. */
  async function whoIs(
    claims: client.IDToken,
  ): Promise<{ user: repo.UserRow; unlinked: ProviderIdentity[] } | SsoFailure> {
    const identities = identitiesOf(claims);
    const owners = await Promise.all(
      identities.map((identity) => ssoRepo.findLinkedUserId(db, identity.providerId, identity.accountId)),
    );
    const unlinked = identities.filter((_, i) => !owners[i]);
    const ownerId = owners.find(Boolean);
    const owner = ownerId ? await repo.findUserById(db, ownerId) : undefined;
    if (owner) return { user: owner, unlinked };
    if (typeof claims.email !== 'string' || !claims.email) return { reason: 'missing_email' };
    const email = claims.email.toLowerCase();
    const emailVerified = providerVerifiedEmail(claims);
    const user = await repo.findUserByEmail(db, email);
    if (!user && emailVerified && provisioned(email)) return { user: await provision(email, claims), unlinked };
    if (!user) return { reason: 'not_set_up', email, emailVerified };
    if (!emailVerified) return { reason: 'unverified_email', email };
    return { user, unlinked };
  }

  return {
    /** The button's words: "Sign in with <name>". */
    name: oidc.name,

    /**
     * Where to send the browser, and the state to bind to it; not ok while the provider cannot be reached.
     * `loginHint`: the address the person typed, so the provider need not ask for it again.
     */
    async start(next: string, loginHint?: string): Promise<SsoStart> {
      const configuration = await discovery.configuration();
      if (!configuration) return { ok: false };
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const expiresAt = new Date(Date.now() + PENDING_MINUTES * 60_000);
      await ssoRepo.savePendingSignIn(db, state, { codeVerifier, nonce, next }, expiresAt);
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: callbackUrl,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        ...(loginHint ? { login_hint: loginHint } : {}),
        ...(oidc.domainHint ? { domain_hint: oidc.domainHint } : {}),
        ...(oidc.prompt ? { prompt: oidc.prompt } : {}),
        ...(oidc.acrValues.length > 0 ? { acr_values: oidc.acrValues.join(' ') } : {}),
      });
      return { ok: true, url: url.href, state };
    },

    /**
     * Finishes the sign-in the provider sent the browser back with (`search`: the callback's query).
     * `browserState` is the state this browser was given at the start (its cookie).
     */
    async finish(search: string, browserState: string | undefined, headers: Headers): Promise<SsoOutcome> {
      const current = new URL(`${callbackUrl}${search}`);
      const state = current.searchParams.get('state');
      if (!state || state !== browserState) return { ok: false, reason: 'expired' };
      const pending = await ssoRepo.takePendingSignIn(db, state);
      if (!pending) return { ok: false, reason: 'expired' };
      const configuration = await discovery.configuration();
      if (!configuration) return { ok: false, reason: 'unavailable', problem: 'unreachable', detail: 'no discovery' };

      let claims: client.IDToken;
      let idToken: string;
      try {
        const tokens = await client.authorizationCodeGrant(configuration, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state,
          // With an expected nonce openid-client requires an ID token: no sign-in from userinfo alone.
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims()!;
        idToken = tokens.id_token!;
      } catch (error) {
        return { ok: false, ...failureOf(error) };
      }

      const weak = weakAuthentication(claims);
      if (weak) return { ok: false, subject: claims.sub, ...weak };
      const found = await whoIs(claims);
      if ('reason' in found) return { ok: false, subject: claims.sub, ...found };
      const refusal = sessionRefusal(found.user);
      if (refusal) return { ok: false, subject: claims.sub, ...refusal };
      const noRole = await applyRoleMapping(found.user, claims);
      if (noRole) return { ok: false, subject: claims.sub, ...noRole };

      if (found.unlinked.length > 0) {
        await db.transaction(async (tx) => {
          for (const identity of found.unlinked) await ssoRepo.insertLink(tx, { userId: found.user.id, ...identity });
          await recordAudit(tx, {
            actor: SSO_ACTOR,
            action: 'user.sso_linked',
            entityType: 'user',
            entityId: found.user.id,
            after: { issuer: claims.iss, ...Object.fromEntries(found.unlinked.map((i) => [i.label, i.accountId])) },
          });
        });
      }
      const session = await auth.api.createSsoSession({
        body: { userId: found.user.id },
        headers,
        returnHeaders: true,
      });
      await ssoRepo.insertSsoSession(db, {
        sessionId: session.response.sessionId,
        subject: claims.sub,
        providerSessionId: typeof claims.sid === 'string' ? claims.sid : null,
        idToken,
      });
      return { ok: true, next: pending.next, setCookies: session.headers.getSetCookie(), subject: claims.sub };
    },

    /**
     * Where to send the browser to sign out at the provider too (RP-initiated logout), for a session that
     * single sign-on made; undefined when the provider publishes no end_session_endpoint. Call it before the
     * session is ended: it reads the session's ID token, the provider's hint of who is signing out.
     */
    async signOutUrl(sessionId: string): Promise<string | undefined> {
      const row = await ssoRepo.findSsoSession(db, sessionId);
      if (!row) return undefined;
      const configuration = await discovery.configuration();
      if (!configuration?.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(configuration, {
        id_token_hint: row.idToken,
        post_logout_redirect_uri: signedOutUrl,
        client_id: oidc.clientId,
      }).href;
    },

    /** Back-channel logout: ends the sessions the logout token names; not ok when the token does not verify. */
    async backChannelLogout(
      logoutToken: string,
    ): Promise<{ ok: true; ended: number } | { ok: false; detail: string; unavailable?: true }> {
      const configuration = await discovery.configuration();
      if (!configuration) return { ok: false, detail: 'the provider cannot be reached', unavailable: true };
      let claims: LogoutClaims;
      try {
        claims = await verifyLogoutToken(configuration, logoutToken);
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
      return { ok: true, ended: await ssoRepo.deleteSsoSessionsOf(db, claims.subject, claims.sid) };
    },
  };
}

export type SsoService = NonNullable<ReturnType<typeof createSsoService>>;
