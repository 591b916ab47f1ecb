/**
 * A service's track record in delivering improvement (key question 4): its published assessments over time
 * with their ratings side by side, every recommendation made to it and what became of it in the plan (the
 * aims answering it, their actions and statuses, the progress and evidence recorded), and its indicators'
 * movement since the last inspection. A new assessment's KQ4 workspace shows it beside 4.1–4.4, and 5.1.2
 * and 5.2.2 show the previous inspection's recommendations that were not delivered.
 *
 * Which assessments count: published ones. Inspectors and administrators see all of them; the
 * organisation's people see their own and the inspections shared with them, as elsewhere.
 */
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { UserActor } from '../accounts/index.js';
import { resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import { periodYear } from '../indicators/index.js';
import { frameworkKloes } from './improvement.service.js';
import type { PlanActor } from './improvement.policy.js';
import * as repo from './improvement.repository.js';
import { loadPlanSubject } from './plan-access.js';
import { planHref } from './plan-drafts.service.js';
import { actionStatuses, type ActionStatusView } from './plan-status.js';
import * as progressRepo from './progress.repository.js';
import * as trackRepo from './track-record.repository.js';
import { ukDay } from '../../dates.js';

export const OUTCOME_LABELS = {
  delivered: 'Delivered',
  in_progress: 'In progress',
  off_track: 'Off track',
  not_planned: 'Not in the plan',
} as const;
export type RecommendationOutcome = keyof typeof OUTCOME_LABELS;

/** The KLOEs whose workspace shows the track record (4.x) or the undelivered recommendations (5.1.2, 5.2.2). */
export const TRACK_RECORD_KLOES = ['4.1', '4.2', '4.3', '4.4'] as const;
export const DELIVERY_KLOES = ['5.1.2', '5.2.2'] as const;

type Movement = 'improved' | 'declined' | 'unchanged' | 'no_comparison';
const MOVEMENT_LABELS: Record<Movement, string> = {
  improved: 'Improved',
  declined: 'Declined',
  unchanged: 'Unchanged',
  no_comparison: 'No value to compare with',
};

const seesAll = (actor: PlanActor) =>
  actor.kind === 'system' || actor.role === 'administrator' || actor.role === 'inspector';

/** What a recommendation's actions add up to: delivered only when every one is done. */
export function outcomeOf(statuses: ActionStatusView[]): RecommendationOutcome {
  if (statuses.length === 0) return 'not_planned';
  if (statuses.every((s) => s.status === 'done')) return 'delivered';
  return statuses.some((s) => s.status === 'off_track') ? 'off_track' : 'in_progress';
}

function movementOf(polarity: 'higher' | 'lower' | 'target', target: number | null, from: number, to: number) {
  const better = (a: number, b: number) =>
    polarity === 'higher'
      ? a > b
      : polarity === 'lower'
        ? a < b
        : Math.abs(a - (target ?? 0)) < Math.abs(b - (target ?? 0));
  return better(to, from) ? 'improved' : better(from, to) ? 'declined' : 'unchanged';
}

export function createTrackRecordService(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;

  async function forService(
    actor: PlanActor,
    organisationId: string,
    serviceId: string,
    options: { exceptSeriesId?: string } = {},
  ) {
    const { organisation, service } = await loadPlanSubject(db, actor, organisationId, serviceId, 'view');
    const published = (await trackRepo.publishedAssessments(db, serviceId)).filter(
      (a) =>
        a.seriesId !== options.exceptSeriesId &&
        (seesAll(actor) || a.kind !== 'inspection' || a.sharedWithOrganisation),
    );
    const ids = published.map((a) => a.id);
    const ratings = await trackRepo.finalRatings(db, ids);
    const ratingOf = (assessmentId: string, ref: string) =>
      [...ratings.kloes, ...ratings.rollUps].find((r) => r.assessmentId === assessmentId && r.ref === ref)?.rating ??
      null;
    const kloes = await frameworkKloes(db);
    const assessments = published.map((a) => ({
      ...a,
      publishedOn: a.publishedAt!.toISOString().slice(0, 10),
      overall: ratingOf(a.id, 'overall'),
      keyQuestions: Object.fromEntries(['4', '5', '6'].map((ref) => [ref, ratingOf(a.id, ref)])),
      kloes: Object.fromEntries(kloes.map((k) => [k.ref, ratingOf(a.id, k.ref)])),
    }));

    // What became of each recommendation in the plan.
    const plan = await repo.findPlan(db, serviceId);
    const aims = plan ? await repo.listAims(db, plan.id) : [];
    const actions = await repo.listActions(
      db,
      aims.map((a) => a.id),
    );
    const statuses = await actionStatuses(
      db,
      actions.map((a) => ({ ...a, organisationId })),
      ukDay(deps.now?.()),
    );
    const progress = await progressRepo.listProgress(
      db,
      actions.map((a) => a.id),
    );
    const href = planHref(organisationId, serviceId);
    const recommendations = (await trackRepo.recommendationsOf(db, ids)).map((r) => {
      const answering = aims.filter((aim) => aim.recommendationIds.includes(r.id));
      const itsActions = actions
        .filter((a) => answering.some((aim) => aim.id === a.aimId))
        .map((a) => {
          const updates = progress.filter((p) => p.actionId === a.id);
          return {
            id: a.id,
            title: a.title,
            status: statuses.get(a.id)!,
            href: `${href}/aims/${a.aimId}/actions/${a.id}`,
            latestProgress: updates[0] ? { on: updates[0].recordedOn, note: updates[0].note } : undefined,
            evidenceCount: new Set(updates.flatMap((u) => u.evidenceItemIds)).size,
          };
        });
      const outcome = outcomeOf(itsActions.map((a) => a.status));
      return {
        ...r,
        assessmentTitle: published.find((a) => a.id === r.assessmentId)!.title,
        aims: answering.map((aim) => ({ id: aim.id, title: aim.title, href: `${href}#aim-${aim.id}` })),
        actions: itsActions,
        outcome,
        outcomeLabel: OUTCOME_LABELS[outcome],
      };
    });

    // Indicators since the last inspection (or all the organisation's values when there was none).
    const lastInspection = published.filter((a) => a.kind === 'inspection').at(-1);
    const sinceYear = lastInspection ? lastInspection.publishedAt!.getUTCFullYear() : undefined;
    const series = new Map<string, Awaited<ReturnType<typeof trackRepo.indicatorSeries>>>();
    for (const row of await trackRepo.indicatorSeries(db, organisationId)) {
      if (row.value === null) continue;
      series.set(row.code, [...(series.get(row.code) ?? []), row]);
    }
    const indicators = [...series.values()].flatMap((rows) => {
      const first = rows[0]!;
      const yearOf = (r: (typeof rows)[number]) => periodYear({ type: r.periodType, index: r.periodIndex, label: '' });
      const since = sinceYear === undefined ? rows : rows.filter((r) => yearOf(r) >= sinceYear);
      if (since.length === 0) return [];
      const before = sinceYear === undefined ? undefined : rows.filter((r) => yearOf(r) < sinceYear).at(-1);
      const from = before ?? since[0]!;
      const latest = since.at(-1)!;
      const movement: Movement =
        from === latest ? 'no_comparison' : movementOf(first.polarity, first.target, from.value!, latest.value!);
      return [
        {
          code: first.code,
          title: first.title,
          unit: first.unit,
          from: { period: from.period, value: from.value! },
          latest: { period: latest.period, value: latest.value! },
          values: since.map((r) => ({ period: r.period, value: r.value! })),
          movement,
          movementLabel: MOVEMENT_LABELS[movement],
        },
      ];
    });

    return {
      organisation,
      service,
      planHref: href,
      kloes,
      assessments,
      recommendations,
      indicators,
      lastInspection: lastInspection && {
        title: lastInspection.title,
        publishedOn: lastInspection.publishedAt!.toISOString().slice(0, 10),
      },
    };
  }

  return {
    forService,

    /**
     * What the workspace of a KLOE of a new assessment shows: for 4.1–4.4 the service's track record before
     * it; for 5.1.2 and 5.2.2 the previous inspection's recommendations not delivered. Undefined elsewhere,
     * and when the person may not see the service's plan.
     */
    async forKloe(actor: UserActor, assessmentRef: AssessmentRef, kloeRef: string) {
      const showsRecord = (TRACK_RECORD_KLOES as readonly string[]).includes(kloeRef);
      if (!showsRecord && !(DELIVERY_KLOES as readonly string[]).includes(kloeRef)) return undefined;
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      try {
        const record = await forService(actor, assessment.organisationId, assessment.serviceId, {
          exceptSeriesId: assessment.seriesId,
        });
        const previous = record.assessments.filter((a) => a.kind === 'inspection').at(-1);
        const undelivered = record.recommendations.filter(
          (r) => r.assessmentId === previous?.id && r.outcome !== 'delivered',
        );
        return { kloeRef, showsRecord, record, previous, undelivered };
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

export type TrackRecordService = ReturnType<typeof createTrackRecordService>;
