/** "My work": what a signed-in person has to do, on the home page and as JSON. */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import type { KloeReviewService } from '../assessments/index.js';
import { registerMyWorkApi } from './my-work.api.js';
import { createMyWorkService } from './my-work.service.js';

export type { MyWorkService } from './my-work.service.js';

export function registerMyWork(
  app: FastifyInstance,
  deps: { db: Database; kloeReview: Pick<KloeReviewService, 'workOf'> },
) {
  const myWork = createMyWorkService(deps);
  registerMyWorkApi(app, { myWork });
  return myWork;
}
