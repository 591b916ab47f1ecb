/**
 * What a request looks like in the log: Fastify's own fields, with the values of credentials carried in a
 * URL blanked. Single sign-on's callback brings an authorisation code and state in its query; a code is
 * single-use and bound to PKCE, but a log is no place for it.
 */
import type { FastifyRequest } from 'fastify';

const CREDENTIAL_PARAMS = ['code', 'state', 'id_token_hint', 'logout_token'];

export function urlForLog(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const name of CREDENTIAL_PARAMS) if (params.has(name)) params.set(name, '[redacted]');
  return `${url.slice(0, query)}?${params.toString()}`;
}

export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: urlForLog(request.url),
      host: request.host,
      remoteAddress: request.ip,
    };
  },
};
