/**
 * Every route about one assessment (/api/assessments/:id…, /assessments/:id…) answers 404 before its
 * body is validated when the assessment is not one the caller may see, so that neither its existence nor
 * the route's shape leaks (the route access matrix holds every route to that). It runs after the access
 * hook (which has already refused the anonymous and the wrong roles). The assessment it loads is attached
 * to the request: handlers pass it to the services' reads (`assessmentOf`), which then need not load it
 * again. The services check again, with the record, for callers that do not come through HTTP; changes
 * load it again themselves, locked, inside their transaction.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { currentUser } from '../accounts/index.js';
import { loadAssessment, type LoadedAssessment } from './assessment-access.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The assessment of a route under /assessments/:id, loaded for the caller; null elsewhere. */
    assessment: LoadedAssessment | null;
  }
}

const ONE_ASSESSMENT = /^\/(api\/)?assessments\/:id(\/|$)/;

export function registerAssessmentVisibilityCheck(app: FastifyInstance, deps: { db: Database }): void {
  app.decorateRequest('assessment', null);
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!ONE_ASSESSMENT.test(request.routeOptions.url ?? '')) return;
    const { id } = request.params as { id: string };
    request.assessment = await loadAssessment(deps.db, currentUser(request), id);
  });
}

/** The assessment the visibility hook loaded for this request's caller. */
export function assessmentOf(request: FastifyRequest): LoadedAssessment {
  if (!request.assessment) throw new Error(`No assessment was loaded for ${request.routeOptions.url ?? request.url}`);
  return request.assessment;
}
