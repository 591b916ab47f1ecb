/**
 * The rules of organisations and their services: who may see and change which (asked of the policy),
 * unique codes and service names (the database's constraints decide, so two concurrent requests cannot
 * both win), and an audit entry with before and after in the same transaction as every change.
 */
import type { Database } from '../../db/database.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import { canonicalJson } from '../audit/index.js';
import { recordAudit } from '../audit/index.js';
import { applyAttributeChanges } from './organisation-attributes.js';
import {
  organisationCodeTaken,
  organisationForbidden,
  organisationNotFound,
  serviceNameTaken,
  serviceNotFound,
} from './organisations.errors.js';
import {
  mayCreate,
  mayOn,
  organisationScope,
  type OrganisationAction,
  type OrganisationActor,
} from './organisations.policy.js';
import * as repo from './organisations.repository.js';
import type {
  CreateOrganisationInput,
  CreateServiceInput,
  ListFilters,
  UpdateOrganisationInput,
  UpdateServiceInput,
} from './organisations.schemas.js';
import { isUuid } from '../../db/ids.js';

/** What the audit trail keeps of an organisation (its timestamps are the entry's own). */
export function organisationRecord(row: repo.OrganisationRow) {
  const { id, code, name, type, region, attributes } = row;
  return { id, code, name, type, region, attributes };
}

export function serviceRecord(row: repo.ServiceRow) {
  const { id, organisationId, name, description } = row;
  return { id, organisationId, name, description };
}

/** The proposed values that differ from the current ones; an empty result means nothing to change. */
function changedFields<T extends object>(current: T, proposed: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(proposed).filter(
      ([key, value]) => value !== undefined && canonicalJson(value) !== canonicalJson(current[key as keyof T]),
    ),
  ) as Partial<T>;
}

/** Runs work, turning a lost race on one unique constraint into the conflict it means. */
async function guardUnique<T>(constraint: string, conflict: () => Error, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (violatedUniqueConstraint(error) === constraint) throw conflict();
    throw error;
  }
}

export function createOrganisationsService(deps: { db: Database }) {
  const { db } = deps;

  /** The organisation if the actor may see it; otherwise not found, whether or not it exists. */
  async function visible(conn: Database, actor: OrganisationActor, id: string, forUpdate = false) {
    if (!isUuid(id) || !mayOn(actor, 'view', id)) throw organisationNotFound(id);
    const row = await repo.findOrganisation(conn, id, { forUpdate });
    if (!row) throw organisationNotFound(id);
    return row;
  }

  function allow(actor: OrganisationActor, action: OrganisationAction, id: string): void {
    if (!mayOn(actor, action, id)) throw organisationForbidden();
  }

  async function service(conn: Database, organisationId: string, serviceId: string, forUpdate = false) {
    const row = isUuid(serviceId) ? await repo.findService(conn, organisationId, serviceId, { forUpdate }) : undefined;
    if (!row) throw serviceNotFound(serviceId);
    return row;
  }

  return {
    list: (actor: OrganisationActor, filters: ListFilters & { limit: number; offset: number }) =>
      repo.listOrganisations(db, organisationScope(actor), filters),

    get: (actor: OrganisationActor, id: string) => visible(db, actor, id),

    /** The organisation, for a page that changes it: not found if invisible, forbidden if only visible. */
    async getFor(actor: OrganisationActor, id: string, action: OrganisationAction) {
      const row = await visible(db, actor, id);
      allow(actor, action, id);
      return row;
    },

    async create(actor: OrganisationActor, input: CreateOrganisationInput) {
      if (!mayCreate(actor)) throw organisationForbidden();
      return guardUnique(
        'organisations_code_unique',
        () => organisationCodeTaken(input.code),
        () =>
          db.transaction(async (tx) => {
            const row = await repo.insertOrganisation(tx, { ...input, region: input.region ?? null });
            await recordAudit(tx, {
              actor,
              action: 'organisation.created',
              entityType: 'organisation',
              entityId: row.id,
              after: organisationRecord(row),
            });
            return row;
          }),
      );
    },

    /** Changes what is given; attributes are merged (null removes one). No change, no audit entry. */
    async update(actor: OrganisationActor, id: string, input: UpdateOrganisationInput) {
      return guardUnique(
        'organisations_code_unique',
        () => organisationCodeTaken(input.code ?? ''),
        () =>
          db.transaction(async (tx) => {
            const before = await visible(tx, actor, id, true);
            allow(actor, 'update', id);
            const { attributes, ...fields } = input;
            const changes = changedFields(before, {
              ...fields,
              ...(attributes ? { attributes: applyAttributeChanges(before.attributes, attributes) } : {}),
            });
            if (Object.keys(changes).length === 0) return before;
            const after = (await repo.updateOrganisation(tx, id, changes))!;
            await recordAudit(tx, {
              actor,
              action: 'organisation.updated',
              entityType: 'organisation',
              entityId: id,
              before: organisationRecord(before),
              after: organisationRecord(after),
            });
            return after;
          }),
      );
    },

    async listServices(actor: OrganisationActor, organisationId: string) {
      await visible(db, actor, organisationId);
      return repo.listServices(db, organisationId);
    },

    async getService(actor: OrganisationActor, organisationId: string, serviceId: string) {
      await visible(db, actor, organisationId);
      return service(db, organisationId, serviceId);
    },

    async createService(actor: OrganisationActor, organisationId: string, input: CreateServiceInput) {
      return guardUnique(
        'services_organisation_name_unique',
        () => serviceNameTaken(input.name),
        () =>
          db.transaction(async (tx) => {
            await visible(tx, actor, organisationId);
            allow(actor, 'manageServices', organisationId);
            const row = await repo.insertService(tx, {
              organisationId,
              name: input.name,
              description: input.description ?? null,
            });
            await recordAudit(tx, {
              actor,
              action: 'service.created',
              entityType: 'service',
              entityId: row.id,
              after: serviceRecord(row),
            });
            return row;
          }),
      );
    },

    async updateService(
      actor: OrganisationActor,
      organisationId: string,
      serviceId: string,
      input: UpdateServiceInput,
    ) {
      return guardUnique(
        'services_organisation_name_unique',
        () => serviceNameTaken(input.name ?? ''),
        () =>
          db.transaction(async (tx) => {
            await visible(tx, actor, organisationId);
            allow(actor, 'manageServices', organisationId);
            const before = await service(tx, organisationId, serviceId, true);
            const changes = changedFields(before, input);
            if (Object.keys(changes).length === 0) return before;
            const after = await repo.updateService(tx, { organisationId, id: serviceId }, changes);
            if (!after) throw serviceNotFound(serviceId);
            await recordAudit(tx, {
              actor,
              action: 'service.updated',
              entityType: 'service',
              entityId: serviceId,
              before: serviceRecord(before),
              after: serviceRecord(after),
            });
            return after;
          }),
      );
    },
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
