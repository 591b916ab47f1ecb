/** "My work" as JSON. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../accounts/index.js';
import type { MyWorkService } from './my-work.service.js';

const kloeJson = z.object({
  assessmentId: z.uuid(),
  title: z.string(),
  kloeRef: z.string(),
  state: z.string(),
  dueOn: z.string().nullable(),
});
const requestJson = z.object({
  id: z.uuid(),
  assessmentId: z.uuid(),
  title: z.string(),
  what: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
});

export const myWorkJson = z.object({
  assigned: z.array(kloeJson.extend({ overdue: z.boolean() })),
  toReview: z.array(kloeJson),
  challenges: z.array(
    z.object({
      assessmentId: z.uuid(),
      title: z.string(),
      targetRef: z.string(),
      comment: z.string(),
      raisedAt: z.date(),
      raisedByName: z.string(),
    }),
  ),
  requests: z.array(requestJson),
  askedOfOrganisation: z.array(requestJson),
  statuses: z.array(z.object({ status: z.string(), count: z.number().int() })),
});

export function registerMyWorkApi(app: FastifyInstance, deps: { myWork: MyWorkService }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/my-work',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['account'],
        summary:
          'Your work: KLOEs you hold (with due dates) and those waiting for your review, challenges you must resolve, evidence requests due within 14 days or overdue, what your organisation has been asked for, and assessments by status',
        response: { 200: myWorkJson },
      },
    },
    async (request) => {
      const work = await deps.myWork.of(currentUser(request));
      const pick = <
        T extends { assessmentId: string; title: string; kloeRef: string; state: string; dueOn: string | null },
      >(
        k: T,
      ) => ({ assessmentId: k.assessmentId, title: k.title, kloeRef: k.kloeRef, state: k.state, dueOn: k.dueOn });
      return {
        ...work,
        assigned: work.assigned.map((k) => ({ ...pick(k), overdue: k.overdue })),
        toReview: work.toReview.map(pick),
      };
    },
  );
}
