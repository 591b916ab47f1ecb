/**
 * Comparator groups: every provider of a type, an explicit list, or an organisation's nearest neighbours
 * on its contextual attributes (kept with their distances, so the group does not drift as data changes).
 * Everyone signed in may see them (they name providers, not their results); defining and deleting them
 * is for those who define indicators (indicators.policy.ts). No HTTP here.
 */
import type { DatabaseHandle } from '../../db/database.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit, type SystemActor } from '../audit/index.js';
import type { ComparatorGroupInput } from './comparator-groups.schemas.js';
import * as groupsRepo from './comparator-groups.repository.js';
import { mayOn } from '../organisations/index.js';
import { mayManage } from './indicators.policy.js';
import * as repo from './indicators.repository.js';
import { neighboursOfSameType } from './neighbours.js';

type Actor = UserActor | SystemActor;
type Context = Awaited<ReturnType<typeof repo.organisationContexts>>[number];
type FoundGroup = NonNullable<Awaited<ReturnType<typeof repo.findComparatorGroup>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const forbidden = () => new AppError('forbidden', 403, 'You do not have permission to do this');
export const groupNotFound = (id: string) =>
  notFound('comparator_group_not_found', `There is no comparator group ${id}`);

/** A stored group's members now, each with its distance from the anchor (nearest groups only). */
export function membersOf(found: FoundGroup, contexts: readonly Context[]) {
  if (found.group.kind === 'type')
    return contexts.filter((c) => c.type === found.group.organisationType).map((c) => ({ ...c, distance: null }));
  const byId = new Map(contexts.map((c) => [c.id, c]));
  return found.members
    .map((m) => ({ ...byId.get(m.organisationId)!, distance: m.distance }))
    .sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0) || a.code.localeCompare(b.code));
}

/** An organisation named by its id or its code (codes are kept in capitals). */
function findByIdOrCode(contexts: readonly Context[], token: string): Context | undefined {
  return UUID.test(token)
    ? contexts.find((c) => c.id === token.toLowerCase())
    : contexts.find((c) => c.code === token.toUpperCase());
}

export function createComparatorGroupsService(deps: { database: Pick<DatabaseHandle, 'db'> }) {
  const { db } = deps.database;

  /** The group's row and its members, resolved from the input; field problems for what does not exist. */
  function groupFrom(input: ComparatorGroupInput, contexts: readonly Context[]) {
    if (input.kind === 'type')
      return { row: { name: input.name, kind: input.kind, organisationType: input.organisationType }, members: [] };
    if (input.kind === 'list') {
      const unknown = input.organisations.filter((token) => !findByIdOrCode(contexts, token));
      if (unknown.length > 0) {
        const message = `No organisation has the id or code ${unknown.map((u) => `"${u}"`).join(', ')}`;
        throw badRequest('invalid_request', message, [{ field: 'organisations', message }]);
      }
      const ids = [...new Set(input.organisations.map((token) => findByIdOrCode(contexts, token)!.id))];
      if (ids.length < 2) {
        const message = 'Choose at least 2 different organisations';
        throw badRequest('invalid_request', message, [{ field: 'organisations', message }]);
      }
      return {
        row: { name: input.name, kind: input.kind },
        members: ids.map((organisationId) => ({ organisationId, distance: null })),
      };
    }
    const anchor = findByIdOrCode(contexts, input.anchor);
    if (!anchor) {
      const message = `No organisation has the id or code "${input.anchor}"`;
      throw badRequest('invalid_request', message, [{ field: 'anchor', message }]);
    }
    const { keys, neighbours } = neighboursOfSameType(contexts, anchor.id, input.size);
    if (neighbours.length === 0) {
      const message = `${anchor.code} has no contextual attributes shared with other providers of its type to measure distance on`;
      throw badRequest('invalid_request', message, [{ field: 'anchor', message }]);
    }
    return {
      row: { name: input.name, kind: input.kind, anchorId: anchor.id, organisationType: anchor.type, attributes: keys },
      members: neighbours.map((n) => ({ organisationId: n.id, distance: n.distance })),
    };
  }

  return {
    list: () => groupsRepo.listComparatorGroups(db),

    /**
     * A group with its members; for a nearest group its anchor, the attributes compared and distances.
     * Names and codes are for everyone (an analysis names its comparators too), but an organisation's
     * attributes only for those who may see that organisation (tenant isolation, organisations.policy.ts).
     */
    async get(actor: Actor, id: string) {
      const found = await repo.findComparatorGroup(db, id);
      if (!found) throw groupNotFound(id);
      const contexts = await repo.organisationContexts(db);
      const visible = <T extends Context>(c: T): T => (mayOn(actor, 'view', c.id) ? c : { ...c, attributes: {} });
      const members = membersOf(found, contexts).map(visible);
      const anchor = contexts.find((c) => c.id === found.group.anchorId);
      return { ...found.group, memberCount: members.length, anchor: anchor && visible(anchor), members };
    },

    async create(actor: Actor, input: ComparatorGroupInput) {
      if (!mayManage(actor)) throw forbidden();
      const { row, members } = groupFrom(input, await repo.organisationContexts(db));
      try {
        return await db.transaction(async (tx) => {
          const created = await groupsRepo.insertComparatorGroup(tx, row, members);
          await recordAudit(tx, {
            actor,
            action: 'comparator_group.created',
            entityType: 'comparator_group',
            entityId: created.id,
            after: { ...input, members: members.map((m) => m.organisationId) },
          });
          return created;
        });
      } catch (error) {
        if (!violatedUniqueConstraint(error)) throw error;
        const message = `A comparator group called ${input.name} exists`;
        throw new AppError('comparator_group_name_taken', 409, message, [{ field: 'name', message }]);
      }
    },

    async remove(actor: Actor, id: string) {
      if (!mayManage(actor)) throw forbidden();
      await db.transaction(async (tx) => {
        const deleted = await groupsRepo.deleteComparatorGroup(tx, id);
        if (!deleted) throw groupNotFound(id);
        await recordAudit(tx, {
          actor,
          action: 'comparator_group.deleted',
          entityType: 'comparator_group',
          entityId: id,
          before: deleted,
        });
      });
    },
  };
}

export type ComparatorGroupsService = ReturnType<typeof createComparatorGroupsService>;
