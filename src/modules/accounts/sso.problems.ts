/**
 * What really went wrong when kloe talked to the provider, for the log and for the page: the provider
 * timed out, could not be reached, refused (with its OAuth error code), or answered with something kloe
 * will not trust (an ID token that does not verify, a discovery document for another issuer…).
 */
import * as client from 'openid-client';

export type ProviderProblem =
  | { problem: 'timeout' }
  | { problem: 'unreachable'; detail: string }
  /** The provider answered with an OAuth error, e.g. invalid_grant or invalid_client. */
  | { problem: 'refused'; error: string; description: string | undefined; status: number }
  /** An answer kloe refuses: a bad ID token, a missing one, a mismatched issuer, an unexpected response. */
  | { problem: 'untrusted'; detail: string };

/** An error's message and its causes', down to an unexpected HTTP answer: "… : HTTP 404 from https://…/jwks". */
function rootMessage(error: unknown): string {
  let current = error;
  const messages: string[] = [];
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code;
    messages.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  if (current instanceof Response) messages.push(`HTTP ${current.status} from ${current.url.split('?')[0]}`);
  return messages.join(': ') || String(error);
}

export function providerProblem(error: unknown): ProviderProblem {
  if (error instanceof client.ClientError && (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT'))
    return { problem: 'timeout' };
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { problem: 'timeout' };
  if (error instanceof client.ResponseBodyError)
    return { problem: 'refused', error: error.error, description: error.error_description, status: error.status };
  // fetch's own failure (refused connection, unknown host, TLS): a TypeError carrying the cause.
  if (error instanceof TypeError) return { problem: 'unreachable', detail: rootMessage(error) };
  return { problem: 'untrusted', detail: rootMessage(error) };
}
