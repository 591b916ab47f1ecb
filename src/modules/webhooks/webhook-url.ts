/**
 * Where kloe may send events. In production only https, and never to a private, loopback or link-local
 * address (a webhook must not become a way to reach the servers beside kloe): the host's addresses are
 * checked when the endpoint is registered and again before each delivery, since a name can change.
 * Development and test allow both, so that a receiver on the same machine can be used.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { FieldProblem } from '../../errors.js';

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export interface UrlRules {
  production: boolean;
}

/** What is wrong with a webhook URL, if anything (field "url"). */
export async function urlProblems(value: string, rules: UrlRules): Promise<FieldProblem[]> {
  const problem = (message: string) => [{ field: 'url', message }];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem('Enter a full web address, such as https://example.org/kloe-events');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !rules.production))
    return problem('Enter an https:// address: events are only sent over https');
  if (url.username || url.password) return problem('Leave the user name and password out of the address');
  if (!rules.production) return [];
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (found) => found.map((a) => a.address),
        () => [],
      );
  if (addresses.length === 0) return problem(`No address was found for ${host}`);
  if (addresses.some(isPrivateAddress))
    return problem('Enter a public address: private, loopback and link-local addresses are refused');
  return [];
}
