/** Queries behind a service's track record: its published assessments, their ratings and recommendations. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { assessments, kloeJudgements, rollUpJudgements } from '../../db/schema.js';
import { recommendations } from '../../db/schema.js';
import { indicatorDefinitions, indicatorValues } from '../../db/schema.js';

/** The published revisions of the service's assessments, oldest first (a reopened one by its latest). */
export async function publishedAssessments(db: Database, serviceId: string) {
  const rows = await db
    .select({
      id: assessments.id,
      seriesId: assessments.seriesId,
      revision: assessments.revision,
      kind: assessments.kind,
      title: assessments.title,
      sharedWithOrganisation: assessments.sharedWithOrganisation,
      publishedAt: assessments.publishedAt,
    })
    .from(assessments)
    .where(and(eq(assessments.serviceId, serviceId), eq(assessments.status, 'published')))
    .orderBy(asc(assessments.publishedAt));
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const seen = latest.get(row.seriesId);
    if (!seen || seen.revision < row.revision) latest.set(row.seriesId, row);
  }
  return [...latest.values()].sort((a, b) => a.publishedAt!.getTime() - b.publishedAt!.getTime());
}

export async function finalRatings(db: Database, assessmentIds: string[]) {
  if (assessmentIds.length === 0) return { kloes: [], rollUps: [] };
  const kloes = await db
    .select({
      assessmentId: kloeJudgements.assessmentId,
      ref: kloeJudgements.kloeRef,
      rating: kloeJudgements.finalRating,
    })
    .from(kloeJudgements)
    .where(inArray(kloeJudgements.assessmentId, assessmentIds));
  const rollUps = await db
    .select({
      assessmentId: rollUpJudgements.assessmentId,
      ref: rollUpJudgements.nodeRef,
      rating: rollUpJudgements.finalRating,
    })
    .from(rollUpJudgements)
    .where(inArray(rollUpJudgements.assessmentId, assessmentIds));
  return { kloes, rollUps };
}

export async function recommendationsOf(db: Database, assessmentIds: string[]) {
  if (assessmentIds.length === 0) return [];
  return db
    .select({
      id: recommendations.id,
      assessmentId: recommendations.assessmentId,
      text: recommendations.text,
      priority: recommendations.priority,
      kloeRefs: recommendations.kloeRefs,
    })
    .from(recommendations)
    .where(inArray(recommendations.assessmentId, assessmentIds))
    .orderBy(asc(recommendations.assessmentId), asc(recommendations.position));
}

/** The organisation's values of every indicator, by code then period: the indicators' movement. */
export async function indicatorSeries(db: Database, organisationId: string) {
  return db
    .select({
      code: indicatorDefinitions.code,
      title: indicatorDefinitions.title,
      unit: indicatorDefinitions.unit,
      polarity: indicatorDefinitions.polarity,
      target: indicatorDefinitions.target,
      periodIndex: indicatorValues.periodIndex,
      period: indicatorValues.period,
      periodType: indicatorDefinitions.periodType,
      value: indicatorValues.value,
    })
    .from(indicatorValues)
    .innerJoin(indicatorDefinitions, eq(indicatorDefinitions.id, indicatorValues.indicatorId))
    .where(eq(indicatorValues.organisationId, organisationId))
    .orderBy(asc(indicatorDefinitions.code), asc(indicatorValues.periodIndex));
}
