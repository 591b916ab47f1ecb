/**
 * Stopping `kloe serve` as a container runtime does (SIGTERM): the requests in flight are answered in full,
 * and neither an idle keep-alive connection nor a connection opened and never used holds the process.
 */
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { postgresInstallation, startKloeServer } from './testing/run-cli.js';

const installation = postgresInstallation('kloe-shutdown-');

/** A request whose headers the server has read (it answered 100 Continue) and whose body is still to come. */
function requestInFlight(url: URL, agent: http.Agent) {
  const body = 'email=someone%40example.org&password=not-it';
  const request = http.request({
    host: url.hostname,
    port: url.port,
    path: '/sign-in',
    method: 'POST',
    agent,
    headers: {
      expect: '100-continue',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
    },
  });
  const started = new Promise<void>((resolve) => request.once('continue', resolve));
  const answered = new Promise<{ status: number; connection?: string; received: number; declared: number }>(
    (resolve, reject) => {
      request.once('error', reject);
      request.once('response', (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => (received += chunk.length));
        response.once('error', reject);
        response.once('end', () =>
          resolve({
            status: response.statusCode!,
            connection: response.headers.connection,
            received,
            declared: Number(response.headers['content-length']),
          }),
        );
      });
    },
  );
  request.flushHeaders();
  return { started, answered, finish: () => request.end(body) };
}

/** Resolves when the server closes this connection. */
const closedByServer = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

describe('kloe serve on SIGTERM', () => {
  // The keep-alive timeout set below is 600 s: a process held by an idle connection until it timed out would
  // not exit before this test's own limit, which leaves room for a slow start of the server.
  it(
    'answers every request in flight and exits without waiting for idle connections',
    { timeout: 300_000 },
    async () => {
      const server = await startKloeServer({ ...installation.env(), KLOE_KEEP_ALIVE_SECONDS: '600' });
      const url = new URL(server.url);

      // A connection opened and never used, as browsers open spare ones.
      const unused = net.connect(Number(url.port), url.hostname);
      await new Promise((resolve) => unused.once('connect', resolve));
      const unusedClosed = closedByServer(unused);
      // A keep-alive connection left idle after one request.
      const idleAgent = new http.Agent({ keepAlive: true });
      const idleSocket = await new Promise<net.Socket>((resolve, reject) => {
        const request = http.get(
          { host: url.hostname, port: url.port, path: '/health', agent: idleAgent },
          (response) => {
            response.resume();
            response.once('end', () => resolve(request.socket!));
          },
        );
        request.once('error', reject);
      });
      const idleClosed = closedByServer(idleSocket);

      const agent = new http.Agent({ keepAlive: true });
      const inFlight = Array.from({ length: 5 }, () => requestInFlight(url, agent));
      await Promise.all(inFlight.map((r) => r.started));

      const exited = server.stop();
      // The server closing the unused connection says it has begun stopping; the bodies come after that.
      await unusedClosed;
      for (const r of inFlight) r.finish();
      const answers = await Promise.all(inFlight.map((r) => r.answered));

      for (const answer of answers) {
        expect(answer.status).toBeLessThan(500);
        expect(answer.received).toBe(answer.declared);
        // The client is told not to send another request on a connection that is closing.
        expect(answer.connection).toBe('close');
      }
      await idleClosed;
      expect(await exited).toBe(0);
    },
  );
  it('gives up on a request that never finishes once KLOE_SHUTDOWN_SECONDS have passed', async () => {
    const server = await startKloeServer({ ...installation.env(), KLOE_SHUTDOWN_SECONDS: '1' });
    const stuck = requestInFlight(new URL(server.url), new http.Agent());
    stuck.answered.catch(() => {}); // its connection is cut when the process exits
    await stuck.started; // and its body never comes
    expect(await server.stop()).toBe(1);
  });
});
