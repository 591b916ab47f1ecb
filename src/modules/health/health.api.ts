import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/database.js';
import { folderStatus, type StorageStatus } from '../../storage/folder-status.js';
import { isStorageFull } from '../../storage/storage-full.js';

const storageSchema = z.object({
  writable: z.boolean(),
  freeBytes: z.number().nullable(),
  problem: z.string().optional(),
});

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    driver: z.enum(['pglite', 'postgres']),
    status: z.enum(['ok', 'unavailable']),
    latencyMs: z.number(),
  }),
  storage: z.object({
    status: z.enum(['ok', 'full', 'unavailable']),
    database: storageSchema,
    evidence: storageSchema,
  }),
});

export interface HealthDeps {
  database: DatabaseHandle;
  /** Commits a small write; throws when the database refuses it. */
  checkDatabaseWrites: () => Promise<void>;
  evidenceStorage: { status(): Promise<StorageStatus> };
}

/** The database's side of storage: its folder where kloe sees one (PGlite), and whether a write commits. */
async function databaseStorage(deps: HealthDeps): Promise<StorageStatus> {
  const folder = deps.database.dataFolder ? await folderStatus(deps.database.dataFolder) : undefined;
  if (folder && !folder.writable) return folder;
  const freeBytes = folder?.freeBytes ?? null;
  try {
    await deps.checkDatabaseWrites();
    return { writable: true, freeBytes };
  } catch (error) {
    return { writable: false, freeBytes, problem: isStorageFull(error) ? 'full' : 'write refused' };
  }
}

/**
 * Liveness and readiness for load balancers: 200 when the database answers and both the database and the
 * evidence store can write, 503 when not (a full disk refuses every save: the service is not ready).
 * No paths or messages: the route is public.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['service'],
        summary: 'Service, database and storage status',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      let status: 'ok' | 'unavailable' = 'ok';
      try {
        await deps.database.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'database ping failed');
        status = 'unavailable';
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const [database, evidence] = await Promise.all([databaseStorage(deps), deps.evidenceStorage.status()]);
      const unwritable = [database, evidence].filter((s) => !s.writable);
      const storageStatus =
        unwritable.length === 0 ? 'ok' : unwritable.every((s) => s.problem === 'full') ? 'full' : 'unavailable';
      if (storageStatus !== 'ok') request.log.warn({ database, evidence }, 'storage cannot write');
      const healthy = status === 'ok' && storageStatus === 'ok';
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? 'ok' : 'unavailable',
        database: { driver: deps.database.driver, status, latencyMs },
        storage: { status: storageStatus, database, evidence },
      });
    },
  );
}
