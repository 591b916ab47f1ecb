/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on the API's creating calls (POST with a JSON
 * body): the first answer with 2xx is kept for 24 hours, and the same call sent again with the same key gets
 * that answer again (with `Idempotent-Replayed: true`) instead of creating a second record. The same key with
 * another path or body answers 422 `idempotency_key_reused`; while the first call is still being answered,
 * 409 `idempotency_key_in_use`. An answer that is an error is not kept, so the call may be retried with the
 * same key. Uploads (multipart) are not covered: their bodies are files that are not kept to compare.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { idempotencyKeys } from './idempotency.tables.js';

const KEPT_HOURS = 24;
/** A first call still unanswered after this long has died with its process: the key may be used again. */
const ABANDONED_SECONDS = 120;

declare module 'fastify' {
  interface FastifyRequest {
    /** The key this request holds while it is answered. */
    idempotency?: { caller: string; key: string };
  }
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = String(header).trim();
  if (key.length === 0 || key.length > 255)
    throw new AppError('invalid_request', 400, 'An Idempotency-Key must be 1 to 255 characters', [
      { field: 'headers.idempotency-key', message: 'must be 1 to 255 characters' },
    ]);
  return key;
}

const hashOf = (request: FastifyRequest) =>
  createHash('sha256')
    .update(JSON.stringify([request.method, request.url, request.body ?? null]))
    .digest('hex');

export function registerIdempotency(app: FastifyInstance, deps: { db: Database }): void {
  const { db } = deps;

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/api/') || request.actor?.kind !== 'user') return;
    if (String(request.headers['content-type'] ?? '').startsWith('multipart/')) return;
    const key = keyOf(request);
    if (key === undefined) return;
    const caller = request.actor.userId;
    const requestHash = hashOf(request);
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.caller, caller),
          lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${KEPT_HOURS})`),
        ),
      );
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ caller, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      request.idempotency = { caller, key };
      return;
    }
    const [kept] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    if (!kept) throw new AppError('idempotency_key_in_use', 409, 'This Idempotency-Key is in use: try again');
    if (kept.requestHash !== requestHash)
      throw new AppError(
        'idempotency_key_reused',
        422,
        'This Idempotency-Key was used before with a different request; nothing was done. Use a new key for a new request.',
        [{ field: 'headers.idempotency-key', message: 'was used before with a different path or body' }],
      );
    if (kept.status === null) {
      const abandoned = Date.now() - kept.createdAt.getTime() > ABANDONED_SECONDS * 1000;
      if (!abandoned)
        throw new AppError(
          'idempotency_key_in_use',
          409,
          'The first request with this Idempotency-Key is still being answered: try again shortly',
        );
      await db
        .update(idempotencyKeys)
        .set({ createdAt: new Date() })
        .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
      request.idempotency = { caller, key };
      return;
    }
    reply.code(kept.status).header('idempotent-replayed', 'true');
    if (kept.contentType) reply.type(kept.contentType);
    if (kept.location) reply.header('location', kept.location);
    return reply.send(kept.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = undefined;
    const where = and(eq(idempotencyKeys.caller, held.caller), eq(idempotencyKeys.key, held.key));
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (reply.statusCode >= 200 && reply.statusCode < 300 && text !== null) {
      const location = reply.getHeader('location');
      await db
        .update(idempotencyKeys)
        .set({
          status: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? 'application/json'),
          location: typeof location === 'string' ? location : null,
          body: text,
        })
        .where(where);
    } else {
      await db.delete(idempotencyKeys).where(where);
    }
    return payload;
  });
}
