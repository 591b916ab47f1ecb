/** The organisations module's entry: what the rest of kloe may use of it. */
export { NAMED_ATTRIBUTES, attributeName } from './organisation-attributes.js';
export { registerOrganisationsApi } from './organisations.api.js';
export { ASHDOWN_CODE, demoOrganisations } from './organisations.demo-data.js';
export { organisationsDemo } from './organisations.demo.js';
export { organisationNotFound } from './organisations.errors.js';
export { refuseInvisibleOrganisation } from './organisations.hooks.js';
export { registerOrganisationPages } from './organisations.pages.js';
export { mayOn, rolesFor } from './organisations.policy.js';
export * as organisationsRepository from './organisations.repository.js';
export { ORGANISATION_TYPE_LABELS } from './organisations.schemas.js';
export { createOrganisationsService } from './organisations.service.js';
export type { OrganisationsService } from './organisations.service.js';
