/**
 * Runs wrk without blocking (the server under test may live in the calling process) and returns the
 * figures latency.lua prints: requests, errors, rps, p50, p95, p99, max (latency in milliseconds).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** `header`: one header line or several. */
export async function wrk(target, { header, connections, seconds, threads = 2 }) {
  const args = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    '-s',
    new URL('latency.lua', import.meta.url).pathname,
  ];
  for (const h of [header ?? []].flat()) args.push('-H', h);
  const { stdout: output } = await promisify(execFile)('wrk', [...args, target], { encoding: 'utf8' });
  const line = output.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(`wrk printed no result:\n${output}`);
  return Object.fromEntries(
    line
      .slice(7)
      .split(' ')
      .map((pair) => pair.split('='))
      .map(([k, v]) => [k, Number(v)]),
  );
}
