import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/database.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    driver: z.enum(['pglite', 'postgres']),
    status: z.enum(['ok', 'unavailable']),
    latencyMs: z.number(),
  }),
});

/** Liveness and readiness for load balancers: 200 when the database answers, 503 when it does not. */
export function registerHealthRoutes(app: FastifyInstance, deps: { database: DatabaseHandle }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['service'],
        summary: 'Service and database status',
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
      return reply.status(status === 'ok' ? 200 : 503).send({
        status,
        database: { driver: deps.database.driver, status, latencyMs },
      });
    },
  );
}
