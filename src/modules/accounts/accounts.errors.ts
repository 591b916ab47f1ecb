import { AppError, notFound } from '../../errors.js';

export const userNotFound = (id: string) => notFound('user_not_found', `No person with id "${id}"`);

export const emailTaken = (email: string) =>
  new AppError('email_taken', 409, `Someone already has the email address ${email}`, [
    { field: 'email', message: `Someone already has the email address ${email}` },
  ]);

export const weakPassword = (message: string) =>
  new AppError('weak_password', 400, message, [{ field: 'password', message }]);

export const tokenNotFound = (id: string) => notFound('api_token_not_found', `No active API token with id "${id}"`);

export const organisationRequired = () =>
  new AppError('organisation_required', 400, 'An organisation member must belong to an organisation', [
    { field: 'organisationId', message: 'Choose the organisation this person belongs to' },
  ]);

export const unknownOrganisation = () =>
  new AppError('organisation_not_found', 400, 'There is no organisation with that id', [
    { field: 'organisationId', message: 'Choose an organisation that exists in kloe' },
  ]);
