/** The errors of improvement plans, each with a stable code (rendered as problem+json or an error page). */
import { AppError, notFound, type FieldProblem } from '../../errors.js';

/** Also the answer for a plan of an organisation the actor may not see (see the policy). */
export const planNotFound = (serviceId: string) =>
  notFound('plan_not_found', `No improvement plan for service "${serviceId}"`);

export const aimNotFound = (id: string) => notFound('aim_not_found', `No aim with id "${id}" in this plan`);

export const actionNotFound = (id: string) => notFound('action_not_found', `No action with id "${id}" under this aim`);

export const planForbidden = () =>
  new AppError('forbidden', 403, 'Only members of the organisation may change its improvement plans');

export const invalidPlanInput = (problems: FieldProblem[]) =>
  new AppError('invalid_request', 400, 'Check the plan', problems);

/** Someone else saved first: carries their version so the caller can show it instead of overwriting it. */
export const planEditConflict = (current: { version: number; updatedAt: Date; record: unknown }) =>
  new AppError(
    'edit_conflict',
    409,
    `This was changed at ${current.updatedAt.toISOString()} since you opened it; here is the current version`,
    [
      {
        field: 'version',
        message: 'Changed by someone else since you opened it: reload the page to see their version',
      },
    ],
    { current },
  );
