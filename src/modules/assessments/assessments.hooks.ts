/**
 * Every route about one assessment (/api/assessments/:id…, /assessments/:id…) answers 404 before its
 * body is validated when the assessment is not one the caller may see, so that neither its existence nor
 * the route's shape leaks (the route access matrix holds every route to that). It runs after the access
 * hook (which has already refused the anonymous and the wrong roles). The services check again, with
 * the record, for callers that do not come through HTTP.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { currentUser } from '../accounts/index.js';
import { loadAssessment, withAssessmentMemo } from './assessment-access.js';

const ONE_ASSESSMENT = /^\/(api\/)?assessments\/:id(\/|$)/;

export function registerAssessmentVisibilityCheck(app: FastifyInstance, deps: { db: Database }): void {
  // The load here is remembered for the rest of the request (see withAssessmentMemo).
  app.addHook('onRequest', (request, _reply, done) => {
    if (ONE_ASSESSMENT.test(request.routeOptions.url ?? '')) withAssessmentMemo(done);
    else done();
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!ONE_ASSESSMENT.test(request.routeOptions.url ?? '')) return;
    const { id } = request.params as { id: string };
    await loadAssessment(deps.db, currentUser(request), id);
  });
}
