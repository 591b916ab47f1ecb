/**
 * Single sign-on, kloe's side of it. Starting: better-auth makes the state, the PKCE verifier and the
 * nonce, keeps them in `verifications` behind a signed state cookie, and returns the provider's
 * authorization URL. Finishing: better-auth's own callback endpoint runs on a Fetch Request, and its
 * answer (a redirect that sets the session cookie, or one carrying an error code) is read back into an
 * outcome that the pages word for people.
 */
import { APIError } from 'better-auth/api';
import type { Config } from '../../config.js';
import { SESSION_COOKIE_PREFIX, type Auth } from './auth.js';
import { runSsoAttempt, SESSION_REFUSED, type SessionRefusal, type SsoAttempt } from './sso.attempt.js';
import { SSO_PROVIDER_ID } from './sso.provider.js';

export type SsoFailure =
  /** The provider vouched for the address, but no one in kloe has it. */
  | { reason: 'not_set_up'; email: string | undefined }
  /** Someone in kloe has the address, but the provider did not vouch that it is the person's. */
  | { reason: 'unverified_email'; email: string | undefined }
  | SessionRefusal
  /** The person said no at the provider (access_denied). */
  | { reason: 'cancelled' }
  /** No such sign-in in progress: too slow, started in another browser, or a replayed callback. */
  | { reason: 'expired' }
  /** Anything else (a bad code, an ID token that does not verify, the provider unreachable…): for the log. */
  | { reason: 'failed'; code: string };

export type SsoOutcome = { setCookies: string[] } & ({ ok: true; next: string } | ({ ok: false } & SsoFailure));

export type SsoStart = { ok: true; url: string; setCookies: string[] } | { ok: false };

const EXPIRED_STATE = new Set(['state_not_found', 'state_mismatch', 'state_invalid']);
/** A Set-Cookie that gives the browser a session (over https better-auth adds the __Secure- prefix). */
const SESSION_SET_COOKIE = new RegExp(`^(__Secure-)?${SESSION_COOKIE_PREFIX}\\.session_token=[^;]`);

function failure(code: string, attempt: SsoAttempt): SsoFailure {
  if (code === 'signup_disabled') return { reason: 'not_set_up', email: attempt.email };
  // better-auth links an existing person to the provider only when the provider verified the address.
  if (code === 'account_not_linked') return { reason: 'unverified_email', email: attempt.email };
  if (code === SESSION_REFUSED && attempt.refusal) return attempt.refusal;
  if (code === 'access_denied') return { reason: 'cancelled' };
  if (EXPIRED_STATE.has(code)) return { reason: 'expired' };
  return { reason: 'failed', code };
}

/** Undefined when single sign-on is not configured. */
export function createSsoService(deps: { auth: Auth; config: Pick<Config, 'baseUrl' | 'oidc'> }) {
  const { auth, config } = deps;
  if (!config.oidc) return undefined;
  const { origin } = new URL(config.baseUrl);

  return {
    /** The button's words: "Sign in with <name>". */
    name: config.oidc.name,

    /** Where to send the browser, with the state cookie to set; not ok while the provider cannot be reached. */
    async start(next: string, headers: Headers): Promise<SsoStart> {
      try {
        const result = await auth.api.signInSocial({
          body: { provider: SSO_PROVIDER_ID, callbackURL: next, disableRedirect: true },
          headers,
          returnHeaders: true,
        });
        if (!result.response.url) return { ok: false };
        return { ok: true, url: result.response.url, setCookies: result.headers.getSetCookie() };
      } catch (error) {
        // better-auth leaves a provider out while its discovery document cannot be fetched, retrying on each use.
        if (error instanceof APIError && error.status === 'NOT_FOUND') return { ok: false };
        throw error;
      }
    },

    /** Runs better-auth's callback for the request at `url` (path and query, as the provider redirected). */
    async finish(url: string, headers: Headers): Promise<SsoOutcome> {
      return runSsoAttempt(async (attempt) => {
        const response = await auth.handler(new Request(new URL(url, origin), { method: 'GET', headers }));
        const setCookies = response.headers.getSetCookie();
        const location = new URL(response.headers.get('location') ?? '/', origin);
        if (setCookies.some((cookie) => SESSION_SET_COOKIE.test(cookie))) {
          // The callbackURL given at the start, which better-auth kept server-side in the state.
          const next = location.origin === origin ? `${location.pathname}${location.search}` : '/';
          return { ok: true, next, setCookies };
        }
        const code = location.searchParams.get('error') ?? `http_${response.status}`;
        return { ok: false, setCookies, ...failure(code, attempt) };
      });
    },
  };
}

export type SsoService = NonNullable<ReturnType<typeof createSsoService>>;
