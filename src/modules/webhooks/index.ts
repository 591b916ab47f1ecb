/**
 * Webhooks: endpoints other systems register to be told of events, delivered through the job queue.
 * See docs/api.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../jobs/index.js';
import type { Notify } from '../notifications/index.js';
import { registerWebhooksApi } from './webhooks.api.js';
import { registerWebhookPages } from './webhooks.pages.js';
import { createWebhooksService, DELIVER_JOB, type WebhookTimings } from './webhooks.service.js';

export { WEBHOOK_EVENTS } from './webhook-events.js';
export { signature as webhookSignature } from './webhook-signature.js';
export type { WebhookTimings } from './webhooks.service.js';

export function registerWebhooks(
  app: FastifyInstance,
  deps: {
    db: Database;
    jobs: JobQueue;
    production: boolean;
    notify: Notify;
    timings?: WebhookTimings & { dispatchEverySeconds?: number };
  },
): void {
  const webhooks = createWebhooksService(deps);
  const { retries, retryDelaySeconds } = webhooks.timings;
  deps.jobs.handle<{ deliveryId: string }>(
    DELIVER_JOB,
    (payload, job) => webhooks.deliver(payload.deliveryId, job.attempt),
    {
      retryLimit: retries,
      retryDelaySeconds,
    },
  );
  registerWebhooksApi(app, { webhooks });
  registerWebhookPages(app, { webhooks });

  // Events are read from the audit trail every few seconds, off the request path. The first look runs before
  // the app takes requests: on a new installation it starts the cursor at the newest entry, and an event
  // recorded before that first look would otherwise be passed over.
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const dispatch = () =>
    webhooks.dispatch().catch((error: unknown) => app.log.error({ err: error }, 'webhook dispatch failed'));
  app.addHook('onReady', async () => {
    running = dispatch();
    await running;
    timer = setInterval(
      () => {
        running = running.then(dispatch);
      },
      (deps.timings?.dispatchEverySeconds ?? 2) * 1000,
    );
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
