/** What the organisations' and services' pages share: dependencies, crumbs, common context. */
import type { AuditService } from '../audit/index.js';
import type { OrganisationRow } from './organisations.repository.js';
import { ORGANISATION_TYPE_LABELS } from './organisations.schemas.js';
import type { OrganisationsService } from './organisations.service.js';
import { ORGANISATION_TYPES } from './organisations.tables.js';

export interface PageDeps {
  organisations: OrganisationsService;
  audit: Pick<AuditService, 'historyOf'>;
}

/** What every one of these pages' templates uses. */
export const common = { section: 'organisations', typeLabels: ORGANISATION_TYPE_LABELS, types: ORGANISATION_TYPES };

/** The most recent changes shown on a record's page; the audit pages have the rest. */
export const HISTORY_LIMIT = 20;

export const LIST_CRUMB = { text: 'Organisations', href: '/organisations' };

export const organisationCrumb = (organisation: OrganisationRow) => ({
  text: organisation.name,
  href: `/organisations/${organisation.id}`,
});
