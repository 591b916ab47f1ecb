/**
 * Organisations for tests, made through the service (so audited like any other) as the system, with a
 * code unique to the call so that tests sharing a database do not collide. Other modules' tests that
 * need an organisation (assessments, indicators) can use it too.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../../db/database.js';
import type { CreateOrganisationInput } from '../organisations.schemas.js';
import { createOrganisationsService } from '../organisations.service.js';

export async function createTestOrganisation(db: Database, overrides: Partial<CreateOrganisationInput> = {}) {
  const code = overrides.code ?? `T-${randomBytes(4).toString('hex').toUpperCase()}`;
  return createOrganisationsService({ db }).create(
    { kind: 'system', label: 'test' },
    { name: `Test organisation ${code}`, type: 'council', region: null, attributes: {}, ...overrides, code },
  );
}
