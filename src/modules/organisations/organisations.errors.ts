import { AppError, notFound } from '../../errors.js';

/** Also the answer for an organisation that exists but that the actor may not see (see the policy). */
export const organisationNotFound = (id: string) =>
  notFound('organisation_not_found', `No organisation with id "${id}"`);

export const serviceNotFound = (id: string) => notFound('service_not_found', `No service with id "${id}"`);

export const organisationCodeTaken = (code: string) => {
  const message = `An organisation with code ${code} already exists`;
  return new AppError('organisation_code_taken', 409, message, [{ field: 'code', message }]);
};

export const serviceNameTaken = (name: string) => {
  const message = `This organisation already has a service called ${name}`;
  return new AppError('service_name_taken', 409, message, [{ field: 'name', message }]);
};

/** For an organisation the actor may see but not change in this way. */
export const organisationForbidden = () =>
  new AppError('forbidden', 403, 'You do not have permission to change this organisation');
