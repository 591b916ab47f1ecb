/**
 * A pre-validation check for routes under /api/organisations/:id. Fastify validates the body before
 * the handler (and so the service) runs; this answers 404 first, so that any request about an
 * organisation the actor may not see gets 404 whatever its body says (the route access matrix holds
 * every route to that). It needs no database: the policy alone says whether an id can be theirs to see.
 * The service checks again, with the record, for callers that do not come through HTTP.
 */
import type { FastifyRequest } from 'fastify';
import { currentUser } from '../accounts/index.js';
import { organisationNotFound } from './organisations.errors.js';
import { mayOn } from './organisations.policy.js';

export async function refuseInvisibleOrganisation(request: FastifyRequest): Promise<void> {
  const { id } = request.params as { id?: string };
  if (id !== undefined && !mayOn(currentUser(request), 'view', id)) throw organisationNotFound(id);
}
