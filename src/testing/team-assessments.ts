/** An organisation with one service, and an assessment of it opened through the API and moved to fieldwork. */
import { expect } from 'vitest';
import type { App } from '../app.js';
import type { Database } from '../db/database.js';
import { createOrganisationsService } from '../modules/organisations/organisations.service.js';
import { createTestOrganisation } from '../modules/organisations/testing/test-organisations.js';
import type { TestUser } from './test-users.js';

export async function createOrganisationWithService(db: Database, name: string) {
  const organisation = await createTestOrganisation(db, { name });
  const service = await createOrganisationsService({ db }).createService(
    { kind: 'system', label: 'test' },
    organisation.id,
    { name: 'Repairs' },
  );
  return { organisationId: organisation.id, serviceId: service.id };
}

/** Opens the assessment as `by` (its lead) and starts its fieldwork; returns its id. */
export async function openAssessmentInFieldwork(
  app: App,
  by: TestUser,
  body: {
    organisationId: string;
    serviceId: string;
    title: string;
    kind?: string;
    memberUserIds?: string[];
    sharedWithOrganisation?: boolean;
  },
): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/assessments',
    headers: by.headers,
    payload: { kind: 'inspection', ...body },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  const { version } = (await app.inject({ url: `/api/assessments/${id}`, headers: by.headers })).json() as {
    version: number;
  };
  const moved = await app.inject({
    method: 'POST',
    url: `/api/assessments/${id}/status`,
    headers: by.headers,
    payload: { version, status: 'fieldwork' },
  });
  expect(moved.statusCode, moved.body).toBe(200);
  return id;
}
