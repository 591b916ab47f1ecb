/**
 * Monitoring improvement plans across organisations (inspectors, administrators): the actions that need
 * attention — off track, overdue (past their due date and not done), or with a target missed — filterable
 * by organisation, service and KLOE, as a page and as CSV.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { spreadsheetCsv } from '../../files/spreadsheet-csv.js';
import { organisations, services } from '../../db/schema.js';
import { users } from '../../db/schema.js';
import { planForbidden } from './improvement.errors.js';
import { mayOnPlan, type PlanActor } from './improvement.policy.js';
import { organisationsInspectedBy } from './plan-access.js';
import { improvementActions, improvementAims, improvementPlans } from './improvement.tables.js';
import { planHref } from './plan-drafts.service.js';
import { actionStatuses } from './plan-status.js';
import { ukDay } from '../../dates.js';

export const CONCERNS = ['off_track', 'overdue', 'target_missed'] as const;
export type Concern = (typeof CONCERNS)[number];
export const CONCERN_LABELS: Record<Concern, string> = {
  off_track: 'Off track',
  overdue: 'Overdue',
  target_missed: 'Target missed',
};

export interface MonitoringFilters {
  organisationId?: string | undefined;
  serviceId?: string | undefined;
  kloeRef?: string | undefined;
  concern?: Concern | undefined;
}

async function everyAction(db: Database) {
  return db
    .select({
      action: improvementActions,
      ownerName: users.name,
      aimId: improvementAims.id,
      aimTitle: improvementAims.title,
      kloeRefs: improvementAims.kloeRefs,
      organisationId: improvementPlans.organisationId,
      organisationName: organisations.name,
      serviceId: improvementPlans.serviceId,
      serviceName: services.name,
    })
    .from(improvementActions)
    .innerJoin(improvementAims, eq(improvementAims.id, improvementActions.aimId))
    .innerJoin(improvementPlans, eq(improvementPlans.id, improvementAims.planId))
    .innerJoin(organisations, eq(organisations.id, improvementPlans.organisationId))
    .innerJoin(services, eq(services.id, improvementPlans.serviceId))
    .leftJoin(users, eq(users.id, improvementActions.ownerId))
    .orderBy(
      asc(organisations.name),
      asc(services.name),
      asc(improvementAims.position),
      asc(improvementActions.position),
    );
}

export function createMonitoringService(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;

  async function list(actor: PlanActor, filters: MonitoringFilters) {
    if (!mayOnPlan(actor, 'monitor', '')) throw planForbidden();
    // An inspector follows the plans of the organisations they inspect; an administrator every plan.
    const inspected =
      actor.kind === 'user' && actor.role === 'inspector' ? await organisationsInspectedBy(db, actor.userId) : null;
    const all = (await everyAction(db)).filter((r) => !inspected || inspected.includes(r.organisationId));
    const today = ukDay(deps.now?.());
    const chosen = all.filter(
      (r) =>
        (!filters.organisationId || r.organisationId === filters.organisationId) &&
        (!filters.serviceId || r.serviceId === filters.serviceId) &&
        (!filters.kloeRef || r.kloeRefs.includes(filters.kloeRef)),
    );
    const statuses = await actionStatuses(
      db,
      chosen.map((r) => ({ ...r.action, organisationId: r.organisationId })),
      today,
    );
    const rows = chosen.flatMap((r) => {
      const status = statuses.get(r.action.id)!;
      const concerns: Concern[] = [];
      if (status.status === 'off_track') concerns.push('off_track');
      if (status.status !== 'done' && r.action.dueDate !== null && r.action.dueDate < today) concerns.push('overdue');
      if (status.detail.measures.some((m) => m.missed)) concerns.push('target_missed');
      if (concerns.length === 0 || (filters.concern && !concerns.includes(filters.concern))) return [];
      const href = planHref(r.organisationId, r.serviceId);
      return [
        {
          organisationId: r.organisationId,
          organisationName: r.organisationName,
          serviceId: r.serviceId,
          serviceName: r.serviceName,
          aimTitle: r.aimTitle,
          kloeRefs: r.kloeRefs,
          actionId: r.action.id,
          actionTitle: r.action.title,
          ownerName: r.ownerName,
          dueDate: r.action.dueDate,
          status,
          concerns,
          concernLabels: concerns.map((c) => CONCERN_LABELS[c]),
          href: `${href}/aims/${r.aimId}/actions/${r.action.id}`,
        },
      ];
    });
    // What the filters offer: the organisations and services that have plans.
    const places = new Map<string, { id: string; name: string; services: Map<string, string> }>();
    for (const r of all) {
      const place = places.get(r.organisationId) ?? {
        id: r.organisationId,
        name: r.organisationName,
        services: new Map(),
      };
      place.services.set(r.serviceId, r.serviceName);
      places.set(r.organisationId, place);
    }
    const options = [...places.values()].map((p) => ({
      id: p.id,
      name: p.name,
      services: [...p.services.entries()].map(([id, name]) => ({ id, name })),
    }));
    return { rows, options, today };
  }

  return {
    list,

    /** The same rows as a spreadsheet opens them. */
    async csv(actor: PlanActor, filters: MonitoringFilters) {
      const { rows } = await list(actor, filters);
      return spreadsheetCsv(
        [
          'organisation',
          'service',
          'aim',
          'kloes',
          'action',
          'owner',
          'due_date',
          'status',
          'status_set_by_person',
          'concerns',
          'reasons',
        ],
        rows.map((r) => [
          r.organisationName,
          r.serviceName,
          r.aimTitle,
          r.kloeRefs.join(' '),
          r.actionTitle,
          r.ownerName,
          r.dueDate,
          r.status.label,
          r.status.override ? r.status.override.reason : null,
          r.concernLabels.join('; '),
          r.status.reasons.join(' '),
        ]),
        { bom: true },
      );
    },
  };
}

export type MonitoringService = ReturnType<typeof createMonitoringService>;
