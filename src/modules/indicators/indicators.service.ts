/**
 * The rules of indicators: definitions, comparator groups, importing, and one organisation's analysis
 * (read from the recompute's results and handed to buildAnalysis). No HTTP here.
 */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { violatedUniqueConstraint } from '../../db/unique-violation.js';
import type { UserActor } from '../accounts/index.js';
import { recordAudit, type SystemActor } from '../audit/index.js';
import { organisations } from '../../db/schema.js';
import { attributeName } from '../organisations/index.js';
import { buildAnalysis } from './analysis.js';
import type { Analysis, GroupInput } from './analysis.types.js';
import {
  importIndicatorFile,
  loadIndicatorFile,
  type ImportOutcome,
  type ImportProgress,
} from './indicators.import.js';
import { mayAnalyse, mayManage } from './indicators.policy.js';
import * as repo from './indicators.repository.js';
import { readAll } from '../../db/read-all.js';
import { trendWindow } from './indicators.recompute.js';
import type { Recomputes } from './recompute-job.js';
import type { IndicatorInput } from './indicators.schemas.js';
import { giveWayFromNow, type RequestsInFlight } from '../../web/requests-in-flight.js';
import { neighboursOfSameType } from './neighbours.js';
import { groupNotFound, membersOf } from './comparator-groups.service.js';

type Actor = UserActor | SystemActor;

/** The default comparator group: this many nearest neighbours among providers of the same type. */
export const NEIGHBOURS = 15;

const forbidden = () => new AppError('forbidden', 403, 'You do not have permission to do this');
export const analysisNotFound = (id: string) =>
  notFound('organisation_not_found', `There is no organisation ${id}, or you may not see it`);

/** An import's outcome, and whether the figures are being recalculated (a recompute job waits or runs). */
export type ImportResult = ImportOutcome & { recalculating: boolean };

export function createIndicatorsService(deps: {
  database: Pick<DatabaseHandle, 'db' | 'driver' | 'copyTransaction'>;
  /**
   * The recompute on the job queue (a server): an import asks for it and returns once its values have
   * committed. Absent (the command line, where no server may be running), the import recomputes itself.
   */
  recomputes?: Recomputes;
  /** The app's requests being answered: an import gives way to them between its steps (PGlite). */
  requests?: RequestsInFlight;
}) {
  const { database, recomputes, requests } = deps;
  const { db } = database;

  /** Whether results are behind with a recompute waiting or running to bring them up to date. */
  async function underway() {
    // The job first: one that ends between the two reads has brought the results up, and behind says so.
    if (!recomputes || !(await recomputes.underway())) return false;
    return (await repo.countBehind(db)) > 0;
  }

  async function organisationOf(actor: Actor, organisationId: string) {
    if (!mayAnalyse(actor, organisationId)) throw analysisNotFound(organisationId);
    const [organisation] = await db
      .select({ id: organisations.id, code: organisations.code, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    if (!organisation) throw analysisNotFound(organisationId);
    return organisation;
  }

  /** The comparator group asked for, or the organisation's nearest neighbours of the same type. */
  async function groupFor(organisationId: string, groupId: string | undefined): Promise<GroupInput> {
    const contexts = await repo.organisationContexts(db);
    const byId = new Map(contexts.map((c) => [c.id, c]));
    if (groupId) {
      const found = await repo.findComparatorGroup(db, groupId);
      if (!found) throw groupNotFound(groupId);
      // The organisation is compared with the others in its group, never with itself.
      const members = membersOf(found, contexts).filter((m) => m.id !== organisationId);
      return { name: found.group.name, kind: found.group.kind, members };
    }
    const { keys, neighbours } = neighboursOfSameType(contexts, organisationId, NEIGHBOURS);
    const sameType = contexts.filter((c) => c.type === byId.get(organisationId)!.type);
    if (neighbours.length === 0)
      return {
        name: 'All providers of the same type',
        kind: 'type',
        members: sameType.map((c) => ({ ...c, distance: null })),
      };
    return {
      name: `${neighbours.length} nearest neighbours (${keys.map(attributeName).join(', ')})`,
      kind: 'nearest',
      members: neighbours.map((n) => ({ ...byId.get(n.id)!, distance: n.distance })),
    };
  }

  return {
    listIndicators: () => repo.listIndicators(db),

    async createIndicator(actor: Actor, input: IndicatorInput) {
      if (!mayManage(actor)) throw forbidden();
      try {
        return await db.transaction(async (tx) => {
          const row = await repo.insertIndicator(tx, input);
          await recordAudit(tx, {
            actor,
            action: 'indicator.created',
            entityType: 'indicator',
            entityId: row.id,
            after: input,
          });
          return row;
        });
      } catch (error) {
        if (!violatedUniqueConstraint(error)) throw error;
        throw new AppError('indicator_code_taken', 409, `An indicator with the code ${input.code} exists`, [
          { field: 'code', message: `An indicator with the code ${input.code} exists` },
        ]);
      }
    },

    async importFile(actor: Actor, buffer: Buffer, progress?: ImportProgress): Promise<ImportResult> {
      if (!mayManage(actor)) throw forbidden();
      const giveWay = requests ? giveWayFromNow(requests) : undefined;
      if (!recomputes)
        return {
          ...(await importIndicatorFile(database, buffer, actor, { progress, giveWay })),
          recalculating: false,
        };
      const { rows, added, changed, unchanged, phases } = await loadIndicatorFile(
        database,
        buffer,
        actor,
        progress,
        giveWay,
      );
      // After the commit: a request lost here is made again at the next start or import (recompute-job.ts).
      await recomputes.request();
      return { rows, added, changed, unchanged, phases, recompute: undefined, recalculating: await underway() };
    },

    /** What the indicators page says of the data; `recalculating` while results are behind and a recompute is due. */
    async status() {
      const jobOpen = recomputes ? await recomputes.underway() : false;
      const [values, lastRecompute, window, behind] = await Promise.all([
        repo.countValues(db),
        repo.lastRecompute(db),
        trendWindow(db),
        repo.countBehind(db),
      ]);
      return { values, lastRecompute, window, behind, recalculating: jobOpen && behind > 0 };
    },

    /**
     * The mark of what an organisation's analysis is made from (repo.analysisVersion), once the actor is
     * allowed to see it: what remembers analyses keys them by it, and checks the actor on every request.
     */
    async analysisVersion(actor: Actor, organisationId: string) {
      if (!mayAnalyse(actor, organisationId)) throw analysisNotFound(organisationId);
      const { found, ...version } = await repo.analysisVersion(db, organisationId);
      if (!found) throw analysisNotFound(organisationId);
      return version;
    },

    /** One organisation's analysis as at now; `groupId` picks a comparator group other than its neighbours. */
    async analysis(actor: Actor, organisationId: string, options: { groupId?: string } = {}): Promise<Analysis> {
      const organisation = await organisationOf(actor, organisationId);
      const group = await groupFor(organisationId, options.groupId);
      const ids = [organisationId, ...group.members.map((m) => m.id)];
      const window = await trendWindow(db);
      const [definitions, trends, flagged, stats] = await readAll(db, [
        () => repo.listIndicators(db),
        () => repo.trendsOf(db, ids, window),
        () => repo.flaggedValuesOf(db, organisationId),
        () => repo.windowPeriodStats(db, window),
      ] as const);
      return buildAnalysis({
        organisation,
        asOf: new Date(),
        window,
        group,
        definitions,
        values: repo.valuesIn(trends, flagged),
        positions: repo.positionsIn(trends),
        trends,
        stats,
      });
    },

    /** One indicator's series for a chart: the organisation's values and its group's quartiles, every period. */
    async series(actor: Actor, organisationId: string, code: string, options: { groupId?: string } = {}) {
      const organisation = await organisationOf(actor, organisationId);
      const indicator = await repo.findIndicatorByCode(db, code);
      if (!indicator) throw notFound('indicator_not_found', `There is no indicator ${code}`);
      const group = await groupFor(organisationId, options.groupId);
      const rows = await repo.indicatorValuesOf(db, indicator.id, [organisationId, ...group.members.map((m) => m.id)]);
      return { organisation, indicator, group, rows };
    },
  };
}

export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
