/**
 * Long work gives way to requests: `settled` waits for the requests that arrived after the work began
 * (not for those before it, such as the upload that started an import), and never longer than its bound.
 */
import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { trackRequestsInFlight } from './requests-in-flight.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** An app whose /slow answers when the test says so. */
function appWithSlowRoute() {
  const app = Fastify();
  apps.push(app);
  const requests = trackRequestsInFlight(app);
  const pending: (() => void)[] = [];
  app.get('/slow', () => new Promise<string>((resolve) => pending.push(() => resolve('done'))));
  const arrived = async (count: number) => {
    while (pending.length < count) await new Promise((resolve) => setImmediate(resolve));
  };
  return { app, requests, answer: () => pending.shift()!(), arrived };
}

it('waits for a request that arrived after the work began, until it is answered', async () => {
  const { app, requests, answer, arrived } = appWithSlowRoute();
  const since = performance.now();
  const response = app.inject({ url: '/slow' });
  await arrived(1);
  let settled = false;
  const waiting = requests.settled(since, 60_000).then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(settled).toBe(false);
  answer();
  expect((await response).body).toBe('done');
  await waiting;
  expect(settled).toBe(true);
});

it('does not wait for a request that arrived before, and waits no longer than its bound', async () => {
  const { app, requests, answer, arrived } = appWithSlowRoute();
  const before = app.inject({ url: '/slow' });
  await arrived(1);
  await requests.settled(performance.now(), 60_000); // the request before does not hold it
  const since = performance.now();
  const after = app.inject({ url: '/slow' });
  await arrived(2);
  const started = performance.now();
  await requests.settled(since, 50); // held by the later request, but only so long
  expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  answer();
  answer();
  await Promise.all([before, after]);
});
