/**
 * Webhooks delivered to a real HTTP server started by the test: a signed delivery (Standard Webhooks), a
 * retry after a failing answer, a pause after repeated failures (its owner told in kloe and by email through a
 * real SMTP server) and resuming, "send again", an evidence request's overdue event, and the bad input the API
 * refuses with nothing saved.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { buildApp, type App } from '../../app.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { prepareDatabase } from '../../startup.js';
import { startTestSmtpServer, type TestSmtpServer } from '../../testing/smtp-server.js';
import { testConfig } from '../../testing/test-config.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { OVERDUE_REQUESTS_JOB } from '../evidence/evidence-requests.service.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { createWebhooksService } from './webhooks.service.js';
import { webhookEndpoints } from './webhooks.tables.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver: records every event, and answers each path with the next status of its script (then 200). */
async function startReceiver(scripts: Record<string, number[]>) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '/';
      // The ping sent on registering is answered 200 (except by /moved) and not counted.
      if (body.includes('"webhook.ping"') && path !== '/moved') return void response.writeHead(200).end();
      received.push({ path, headers: request.headers, body });
      const status = scripts[path]?.shift() ?? 200;
      response.writeHead(status, status === 302 ? { location: 'https://elsewhere.invalid/' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const expectedSignature = (secret: string, id: string, timestamp: string, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

describeEachDatabase('webhooks', (driver) => {
  let database: TestDatabase;
  let app: App;
  let admin: TestUser;
  let lead: TestUser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: TestSmtpServer;
  /** A queue of the test's own, as a command-line process has: it enqueues, the app's queue runs the jobs. */
  let enqueuer: JobQueue;
  let organisationId: string;
  let serviceId: string;

  beforeAll(async () => {
    receiver = await startReceiver({ '/retry': [500], '/broken': [500, 500, 500, 500, 500], '/moved': [302] });
    smtp = await startTestSmtpServer();
    database = await createTestDatabase(driver);
    const config = testConfig({ smtp: { url: smtp.url, from: 'kloe <kloe@example.test>' } });
    await prepareDatabase(database, config, { demo: false });
    app = await buildApp({
      config,
      database,
      logger: false,
      jobTimings: { pollingSeconds: 0.5, superviseSeconds: 1 },
      webhookTimings: { dispatchEverySeconds: 0.2, retries: 5, retryDelaySeconds: 1, failuresBeforePause: 3 },
    });
    await app.ready();
    enqueuer = createJobQueue({ database, work: false });
    admin = await createTestUser(database.db, 'administrator', {
      name: 'Ada Admin',
      email: `ada-${driver}@example.test`,
    });
    lead = await createTestUser(database.db, 'inspector');
    const organisation = await createTestOrganisation(database.db);
    organisationId = organisation.id;
    serviceId = (
      await createOrganisationsService({ db: database.db }).createService(
        { kind: 'system', label: 'test' },
        organisationId,
        {
          name: 'Libraries',
        },
      )
    ).id;
  });
  afterAll(async () => {
    await enqueuer?.stop();
    await app?.close();
    await database?.close();
    await receiver?.close();
    await smtp?.close();
  });

  const register = (url: string, events = ['assessment.opened']) =>
    app.inject({ method: 'POST', url: '/api/webhooks', headers: admin.headers, payload: { url, events } });
  const openAssessment = (title: string) =>
    app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: lead.headers,
      payload: { organisationId, serviceId, kind: 'inspection', title },
    });
  const deliveries = async (id: string) =>
    (await app.inject({ url: `/api/webhooks/${id}/deliveries`, headers: admin.headers })).json().deliveries as {
      id: string;
      state: string;
      attempts: number;
      responseStatus: number | null;
    }[];
  const endpointCount = async () => (await database.db.select({ n: count() }).from(webhookEndpoints))[0]!.n;

  it('delivers a signed event to a registered endpoint, retrying after a failing answer', async () => {
    const signed = await register(`${receiver.base}/signed`);
    expect(signed.statusCode, signed.body).toBe(201);
    const { id, secret } = signed.json();
    expect(secret).toMatch(/^whsec_/);
    const retry = (await register(`${receiver.base}/retry`)).json();
    receiver.received.length = 0;

    expect((await openAssessment('Libraries inspection')).statusCode).toBe(201);
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.path === '/signed')).toHaveLength(1), {
      timeout: 20_000,
      interval: 100,
    });
    const got = receiver.received.find((r) => r.path === '/signed')!;
    const event = JSON.parse(got.body);
    expect(event).toMatchObject({ type: 'assessment.opened', data: { entityType: 'assessment' } });
    expect(event.data.after.title).toBe('Libraries inspection');
    const { 'webhook-id': webhookId, 'webhook-timestamp': timestamp } = got.headers as Record<string, string>;
    expect(got.headers['webhook-signature']).toBe(expectedSignature(secret, webhookId!, timestamp!, got.body));
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    await vi.waitFor(async () => expect((await deliveries(id))[0]).toMatchObject({ state: 'delivered', attempts: 1 }));

    // The other endpoint answered 500 first: retried, with the same webhook-id.
    await vi.waitFor(
      async () => expect((await deliveries(retry.id))[0]).toMatchObject({ state: 'delivered', attempts: 2 }),
      {
        timeout: 30_000,
        interval: 200,
      },
    );
    const tries = receiver.received.filter((r) => r.path === '/retry');
    expect(tries).toHaveLength(2);
    expect(tries[0]!.headers['webhook-id']).toBe(tries[1]!.headers['webhook-id']);

    // Send again: the same event once more.
    const [delivery] = await deliveries(id);
    const again = await app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/deliveries/${delivery!.id}/redeliver`,
      headers: admin.headers,
    });
    expect(again.statusCode, again.body).toBe(200);
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.path === '/signed')).toHaveLength(2), {
      timeout: 20_000,
    });
    const [first, second] = receiver.received.filter((r) => r.path === '/signed');
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  });

  it('pauses an endpoint after repeated failures, tells its owner, and sends what waited on resuming', async () => {
    const broken = (await register(`${receiver.base}/broken`)).json();
    expect((await openAssessment('Parks inspection')).statusCode).toBe(201);
    await vi.waitFor(
      async () => {
        const res = await app.inject({ url: `/api/webhooks/${broken.id}`, headers: admin.headers });
        expect(res.json()).toMatchObject({ state: 'paused', failuresInRow: 3 });
      },
      { timeout: 40_000, interval: 250 },
    );
    expect((await deliveries(broken.id))[0]).toMatchObject({ state: 'pending', attempts: 3, responseStatus: 500 });
    const audit = await app.inject({ url: `/api/audit?action=webhook_endpoint.paused`, headers: admin.headers });
    expect(audit.json().entries[0]).toMatchObject({
      entityId: broken.id,
      reason: expect.stringContaining('3 deliveries failed'),
    });
    const page = await app.inject({ url: '/admin/webhooks', headers: admin.headers });
    expect(page.body).toContain('Paused');
    // The administrator who registered it is told once, in kloe and by email.
    const told = (await app.inject({ url: '/api/notifications', headers: admin.headers })).json().notifications as {
      kind: string;
      text: string;
      href: string;
    }[];
    expect(told.filter((n) => n.kind === 'webhook_paused')).toEqual([
      {
        ...told.find((n) => n.kind === 'webhook_paused'),
        text: expect.stringContaining(`The webhook to ${receiver.base}/broken was paused: 3 deliveries failed`),
        href: `/admin/webhooks/${broken.id}`,
      },
    ]);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual([`ada-${driver}@example.test`]);
    expect(mail!.raw).toContain('Subject: kloe: A webhook was paused');
    expect(mail!.text).toContain(`http://localhost:3000/admin/webhooks/${broken.id}`);

    // Nothing is sent while paused; resuming sends what waited (the receiver still fails twice, then answers).
    const before = receiver.received.filter((r) => r.path === '/broken').length;
    expect((await openAssessment('Pools inspection')).statusCode).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received.filter((r) => r.path === '/broken')).toHaveLength(before);
    const resumed = await app.inject({
      method: 'POST',
      url: `/api/webhooks/${broken.id}/resume`,
      headers: admin.headers,
    });
    expect(resumed.json().state).toBe('active');
    await vi.waitFor(
      async () => expect((await deliveries(broken.id)).map((d) => d.state)).toEqual(['delivered', 'delivered']),
      { timeout: 40_000, interval: 250 },
    );
  });

  it("sends an evidence request's overdue event once, when the scheduled job finds it past its date", async () => {
    const overdue = (await register(`${receiver.base}/overdue`, ['evidence_request.overdue'])).json();
    const { id: assessmentId } = (await openAssessment('Housing inspection')).json();
    const asked = await app.inject({
      method: 'POST',
      url: `/api/assessments/${assessmentId}/evidence-requests`,
      headers: lead.headers,
      payload: { what: 'Repairs backlog by month', dueOn: '2026-01-15' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    // The job runs on a schedule; here it is asked for twice at once, as two nodes might.
    await Promise.all([enqueuer.enqueue(OVERDUE_REQUESTS_JOB, {}), enqueuer.enqueue(OVERDUE_REQUESTS_JOB, {})]);
    await enqueuer.settled([OVERDUE_REQUESTS_JOB]);
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.path === '/overdue')).toHaveLength(1), {
      timeout: 20_000,
      interval: 100,
    });
    const event = JSON.parse(receiver.received.find((r) => r.path === '/overdue')!.body);
    expect(event).toMatchObject({
      type: 'evidence_request.overdue',
      data: {
        entityType: 'evidence_request',
        entityId: asked.json().id,
        after: { assessmentId, what: 'Repairs backlog by month', dueOn: '2026-01-15' },
      },
    });
    await enqueuer.enqueue(OVERDUE_REQUESTS_JOB, {});
    await enqueuer.settled([OVERDUE_REQUESTS_JOB]);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // two dispatch rounds
    expect(receiver.received.filter((r) => r.path === '/overdue')).toHaveLength(1);
    expect((await deliveries(overdue.id)).map((d) => d.state)).toEqual(['delivered']);
  });

  it('refuses bad input, saving nothing', async () => {
    const before = await endpointCount();
    const duplicate = await register(`${receiver.base}/signed`);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'webhook_duplicate', errors: [{ field: 'url' }] });
    const moved = await register(`${receiver.base}/moved`);
    expect(moved.statusCode).toBe(422);
    expect(moved.json().errors[0]).toMatchObject({ field: 'url', message: expect.stringContaining('redirect') });
    const ftp = await register('ftp://example.org/hook');
    expect(ftp.statusCode).toBe(422);
    const unknownEvent = await register(`${receiver.base}/other`, ['assessment.deleted']);
    expect(unknownEvent.statusCode).toBe(400);
    expect(unknownEvent.json().errors[0].field).toBe('body.events.0');
    const asInspector = await app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: lead.headers,
      payload: { url: `${receiver.base}/x`, events: ['assessment.opened'] },
    });
    expect(asInspector.statusCode).toBe(403);
    // In production: https only, and no private or loopback address (checked after resolving the name).
    const production = createWebhooksService({
      db: database.db,
      jobs: enqueuer,
      production: true,
      notify: async () => {},
    });
    for (const [url, says] of [
      ['http://81.2.69.160/hook', 'https'],
      [`https://127.0.0.1:${new URL(receiver.base).port}/hook`, 'public'],
      ['https://localhost/hook', 'public'],
      ['https://10.1.2.3/hook', 'public'],
    ] as const)
      await expect(production.register(admin.actor, { url, events: ['assessment.opened'] }), url).rejects.toMatchObject(
        {
          status: 422,
          code: 'invalid_webhook_url',
          problems: [{ field: 'url', message: expect.stringContaining(says) }],
        },
      );
    expect(await endpointCount()).toBe(before);
  });
});
