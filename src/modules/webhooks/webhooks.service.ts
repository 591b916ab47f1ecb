/**
 * Webhooks: administrators register endpoints; events are read from the audit trail (webhook-events.ts)
 * into a delivery log, and each delivery is sent by the job queue, signed, retried with back-off. An
 * endpoint that fails `failuresBeforePause` deliveries in a row is paused (its deliveries wait), which the
 * webhooks page and the audit trail show and its owner is told of (a notification, and an email when SMTP is
 * set up); resuming sends what waited.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit } from '../audit/index.js';
import { auditLog } from '../../db/schema.js';
import type { JobQueue } from '../jobs/index.js';
import type { Notify } from '../notifications/index.js';
import { eventBody, eventOf, type AuditEvent } from './webhook-events.js';
import { newSecret, signedHeaders } from './webhook-signature.js';
import { urlProblems } from './webhook-url.js';
import type { RegisterEndpointInput } from './webhooks.schemas.js';
import { webhookCursor, webhookDeliveries, webhookEndpoints } from './webhooks.tables.js';

export const DELIVER_JOB = 'webhook.deliver';
const SYSTEM = { kind: 'system', label: 'webhooks' } as const;
const BATCH = 200;

export interface WebhookTimings {
  /** Failed attempts of one delivery retried by the queue (default 5). */
  retries?: number;
  /** Seconds before the first retry, doubled each time (default 30). */
  retryDelaySeconds?: number;
  /** Deliveries failed in a row that pause an endpoint (default 10). */
  failuresBeforePause?: number;
  /** Longest wait for an answer, in seconds (default 10). */
  timeoutSeconds?: number;
}

export interface WebhooksDeps {
  db: Database;
  jobs: JobQueue;
  /** Production: https only, and no private or loopback addresses. */
  production: boolean;
  /** Tells the administrator who registered an endpoint that it was paused; never throws. */
  notify: Notify;
  timings?: WebhookTimings;
}

type Endpoint = typeof webhookEndpoints.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const endpointJson = ({ secret: _secret, ownerId: _owner, ...e }: Endpoint) => ({
  ...e,
  pausedAt: iso(e.pausedAt),
  createdAt: e.createdAt.toISOString(),
});
export const deliveryJson = (d: typeof webhookDeliveries.$inferSelect) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  error: d.error,
  createdAt: d.createdAt.toISOString(),
  lastAttemptAt: iso(d.lastAttemptAt),
});

/** Sends one signed request; never follows a redirect. */
async function post(url: string, headers: Record<string, string>, body: string, timeoutSeconds: number) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.body?.cancel();
    const redirected = response.status >= 300 && response.status < 400;
    return {
      status: response.status,
      ok: response.ok,
      error: redirected
        ? `answered ${response.status} (a redirect, not followed)`
        : response.ok
          ? null
          : `answered ${response.status}`,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: null, ok: false, error: `no answer: ${cause ?? (error as Error).message}` };
  }
}

export function createWebhooksService(deps: WebhooksDeps) {
  const { db, jobs } = deps;
  const timings = { retries: 5, retryDelaySeconds: 30, failuresBeforePause: 10, timeoutSeconds: 10, ...deps.timings };

  async function endpoint(id: string): Promise<Endpoint> {
    const [found] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    if (!found) throw notFound('webhook_not_found', 'No such webhook');
    return found;
  }

  async function enqueue(deliveryId: string, tx?: Database) {
    await jobs.enqueue(DELIVER_JOB, { deliveryId }, tx ? { tx } : {});
  }

  /** Pauses an active endpoint (one that another delivery paused already is left alone) and tells its owner. */
  async function pause(found: Endpoint, reason: string) {
    const paused = await db.transaction(async (tx) => {
      const [changed] = await tx
        .update(webhookEndpoints)
        .set({ state: 'paused', pausedAt: new Date(), pausedReason: reason })
        .where(and(eq(webhookEndpoints.id, found.id), eq(webhookEndpoints.state, 'active')))
        .returning({ id: webhookEndpoints.id });
      if (!changed) return false;
      await recordAudit(tx, {
        actor: SYSTEM,
        action: 'webhook_endpoint.paused',
        entityType: 'webhook_endpoint',
        entityId: found.id,
        after: { url: found.url, ownerId: found.ownerId },
        reason,
      });
      return true;
    });
    if (!paused) return;
    await deps.notify([
      {
        userId: found.ownerId,
        kind: 'webhook_paused',
        text: `The webhook to ${found.url} was paused: ${reason}. Its events wait until you resume it.`,
        href: `/admin/webhooks/${found.id}`,
      },
    ]);
  }

  return {
    async register(actor: UserActor, input: RegisterEndpointInput) {
      const problems = await urlProblems(input.url, { production: deps.production });
      if (problems.length > 0) throw new AppError('invalid_webhook_url', 422, problems[0]!.message, problems);
      const [same] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.url, input.url));
      if (same)
        throw new AppError('webhook_duplicate', 409, 'A webhook is already registered for this address', [
          { field: 'url', message: 'is registered already' },
        ]);
      // A ping, signed like any event: an address that redirects is refused (kloe never follows one).
      const secret = newSecret();
      const ping = JSON.stringify({ type: 'webhook.ping', timestamp: new Date().toISOString(), data: {} });
      const answer = await post(input.url, signedHeaders(secret, randomUUID(), ping), ping, timings.timeoutSeconds);
      if (answer.status !== null && answer.status >= 300 && answer.status < 400)
        throw new AppError('invalid_webhook_url', 422, 'This address answers with a redirect', [
          { field: 'url', message: 'answers with a redirect: give the address it redirects to' },
        ]);
      return db.transaction(async (tx) => {
        const [created] = await tx
          .insert(webhookEndpoints)
          .values({
            url: input.url,
            description: input.description || null,
            events: input.events,
            secret,
            ownerId: actor.userId,
          })
          .returning();
        await recordAudit(tx, {
          actor,
          action: 'webhook_endpoint.created',
          entityType: 'webhook_endpoint',
          entityId: created!.id,
          after: { url: created!.url, events: created!.events },
        });
        return { ...endpointJson(created!), secret };
      });
    },

    async list() {
      return (await db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt))).map(endpointJson);
    },

    get: async (id: string) => endpointJson(await endpoint(id)),
    /** For its page, to administrators: the endpoint with its signing secret. */
    withSecret: async (id: string) => {
      const found = await endpoint(id);
      return { ...endpointJson(found), secret: found.secret };
    },

    async remove(actor: UserActor, id: string) {
      const found = await endpoint(id);
      await db.transaction(async (tx) => {
        await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
        await recordAudit(tx, {
          actor,
          action: 'webhook_endpoint.deleted',
          entityType: 'webhook_endpoint',
          entityId: id,
          before: { url: found.url, events: found.events },
        });
      });
    },

    /** Takes a paused endpoint back into use and sends the deliveries that waited. */
    async resume(actor: UserActor, id: string) {
      await endpoint(id);
      return db.transaction(async (tx) => {
        const [resumed] = await tx
          .update(webhookEndpoints)
          .set({ state: 'active', pausedAt: null, pausedReason: null, failuresInRow: 0 })
          .where(eq(webhookEndpoints.id, id))
          .returning();
        const waiting = await tx
          .select({ id: webhookDeliveries.id })
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.state, 'pending')));
        for (const d of waiting) await enqueue(d.id, tx);
        await recordAudit(tx, {
          actor,
          action: 'webhook_endpoint.resumed',
          entityType: 'webhook_endpoint',
          entityId: id,
        });
        return endpointJson(resumed!);
      });
    },

    async deliveries(id: string, page: { limit: number; offset: number }) {
      await endpoint(id);
      const where = eq(webhookDeliveries.endpointId, id);
      const rows = await db
        .select()
        .from(webhookDeliveries)
        .where(where)
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(page.limit)
        .offset(page.offset);
      const [total] = await db.select({ n: count() }).from(webhookDeliveries).where(where);
      return { deliveries: rows.map(deliveryJson), total: total!.n, ...page };
    },

    /** "Send again": the same event (same webhook-id) as a new series of attempts. */
    async redeliver(actor: UserActor, id: string, deliveryId: string) {
      await endpoint(id);
      return db.transaction(async (tx) => {
        const [again] = await tx
          .update(webhookDeliveries)
          .set({ state: 'pending', error: null })
          .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, id)))
          .returning();
        if (!again) throw notFound('delivery_not_found', 'No such delivery of this webhook');
        await enqueue(again.id, tx);
        await recordAudit(tx, {
          actor,
          action: 'webhook_delivery.resent',
          entityType: 'webhook_endpoint',
          entityId: id,
          after: { deliveryId, eventType: again.eventType },
        });
        return deliveryJson(again);
      });
    },

    /** Turns audit entries since the last run into deliveries (one node at a time); how many were made. */
    async dispatch(): Promise<number> {
      return db.transaction(async (tx) => {
        await tx
          .insert(webhookCursor)
          .values({ id: 1, lastAuditId: sql`coalesce((select max(id) from audit_log), 0)` })
          .onConflictDoNothing();
        const [cursor] = await tx.select().from(webhookCursor).where(eq(webhookCursor.id, 1)).for('update');
        const entries: AuditEvent[] = await tx
          .select()
          .from(auditLog)
          .where(gt(auditLog.id, cursor!.lastAuditId))
          .orderBy(asc(auditLog.id))
          .limit(BATCH);
        if (entries.length === 0) return 0;
        const endpoints = await tx.select().from(webhookEndpoints);
        let made = 0;
        for (const entry of entries) {
          const type = eventOf(entry);
          if (!type) continue;
          for (const e of endpoints.filter((x) => x.events.includes(type))) {
            const [delivery] = await tx
              .insert(webhookDeliveries)
              .values({ endpointId: e.id, eventId: randomUUID(), eventType: type, payload: eventBody(type, entry) })
              .returning({ id: webhookDeliveries.id });
            if (e.state === 'active') await enqueue(delivery!.id, tx);
            made++;
          }
        }
        await tx
          .update(webhookCursor)
          .set({ lastAuditId: entries.at(-1)!.id })
          .where(eq(webhookCursor.id, 1));
        return made;
      });
    },

    /** The job: one attempt at one delivery. Throws to be retried by the queue. */
    async deliver(deliveryId: string, attempt: number): Promise<void> {
      const [row] = await db
        .select()
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(eq(webhookDeliveries.id, deliveryId));
      if (!row || row.webhook_deliveries.state !== 'pending' || row.webhook_endpoints.state !== 'active') return;
      const { webhook_deliveries: delivery, webhook_endpoints: target } = row;
      const body = JSON.stringify(delivery.payload);
      const problems = deps.production ? await urlProblems(target.url, { production: true }) : [];
      const answer =
        problems.length > 0
          ? { status: null, ok: false, error: problems[0]!.message }
          : await post(target.url, signedHeaders(target.secret, delivery.eventId, body), body, timings.timeoutSeconds);
      const last = !answer.ok && attempt >= timings.retries;
      await db
        .update(webhookDeliveries)
        .set({
          state: answer.ok ? 'delivered' : last ? 'failed' : 'pending',
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          responseStatus: answer.status,
          error: answer.error,
          lastAttemptAt: new Date(),
        })
        .where(eq(webhookDeliveries.id, deliveryId));
      const [updated] = await db
        .update(webhookEndpoints)
        .set({ failuresInRow: answer.ok ? 0 : sql`${webhookEndpoints.failuresInRow} + 1` })
        .where(eq(webhookEndpoints.id, target.id))
        .returning();
      if (answer.ok) return;
      if (updated!.failuresInRow >= timings.failuresBeforePause) {
        await pause(updated!, `${updated!.failuresInRow} deliveries failed in a row; the last ${answer.error}`);
        return; // its deliveries wait for the endpoint to be resumed
      }
      if (!last) throw new Error(`webhook delivery ${deliveryId} ${answer.error}`);
    },

    timings,
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
