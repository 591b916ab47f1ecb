/**
 * Recommendations of an assessment: recorded by whoever may judge it (so never once it is published),
 * each linked to KLOEs in scope and to areas for improvement recorded on them, and audited in the same
 * transaction as the change.
 */
import type { Database } from '../../db/database.js';
import { notFound, type FieldProblem } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { loadFor, resolveAssessment, type AssessmentRef } from './assessment-access.js';
import { kloesInScope, pinnedFramework } from './assessment-framework.js';
import { EditConflict, invalidAssessmentInput } from './assessments.errors.js';
import type { AssessmentActor } from './assessments.policy.js';
import type { AssessmentRow } from './assessments.repository.js';
import { userLabel } from './team.repository.js';
import { listKloeJudgements } from './judgements.repository.js';
import * as repo from './recommendations.repository.js';
import type { RecommendationInput, UpdateRecommendationInput } from './recommendations.schemas.js';

export const recommendationNotFound = (id: string) =>
  notFound('recommendation_not_found', `No recommendation with id "${id}" in this assessment`);

/** What the audit trail keeps of a recommendation. */
function recommendationRecord(row: repo.RecommendationRow) {
  const { id, assessmentId, position, text, priority, outcome, kloeRefs, areas } = row;
  return { id, assessmentId, position, text, priority, outcome, kloeRefs, areas };
}

/**
 * The KLOEs must be in the assessment's scope and each area must be one recorded on its KLOE; a linked
 * area's KLOE is linked too. Returns the KLOE refs in framework order.
 */
async function checkedLinks(db: Database, assessment: AssessmentRow, input: RecommendationInput) {
  const doc = await pinnedFramework(db, assessment.frameworkVersionId);
  const inScope = kloesInScope(doc, assessment.scope).map((leaf) => leaf.kloe.ref);
  const judgements = new Map(
    (await listKloeJudgements(db, assessment.id)).map((j) => [j.kloeRef, j.areasForImprovement]),
  );
  const problems: FieldProblem[] = [];
  input.kloeRefs.forEach((ref, i) => {
    if (!inScope.includes(ref))
      problems.push({ field: `kloeRefs.${i}`, message: `KLOE ${ref} is not in this assessment` });
  });
  input.areas.forEach((area, i) => {
    if (!(judgements.get(area.kloeRef) ?? []).includes(area.text)) {
      problems.push({
        field: `areas.${i}`,
        message: `“${area.text}” is not an area for improvement recorded on KLOE ${area.kloeRef}`,
      });
    }
  });
  if (problems.length > 0) throw invalidAssessmentInput('Check the links', problems);
  const linked = new Set([...input.kloeRefs, ...input.areas.map((a) => a.kloeRef)]);
  return inScope.filter((ref) => linked.has(ref));
}

export function createRecommendationsService(deps: { db: Database }) {
  const { db } = deps;

  async function current(tx: Database, assessmentId: string, id: string) {
    const row = await repo.findRecommendation(tx, assessmentId, id);
    if (!row) throw recommendationNotFound(id);
    return row;
  }

  return {
    async list(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      return repo.listRecommendations(db, assessment.id);
    },

    /** What a recommendation may link to: the KLOEs in scope, each with its question and areas for improvement. */
    async linkOptions(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      const [doc, judgements] = await Promise.all([
        pinnedFramework(db, assessment.frameworkVersionId),
        listKloeJudgements(db, assessment.id),
      ]);
      const areas = new Map(judgements.map((j) => [j.kloeRef, j.areasForImprovement]));
      return kloesInScope(doc, assessment.scope).map((leaf) => ({
        ref: leaf.kloe.ref,
        question: leaf.kloe.question,
        areas: areas.get(leaf.kloe.ref) ?? [],
      }));
    },

    async get(actor: AssessmentActor, assessmentRef: AssessmentRef, id: string) {
      const { assessment } = await resolveAssessment(db, actor, assessmentRef);
      return current(db, assessment.id, id);
    },

    async create(actor: AssessmentActor, assessmentId: string, input: RecommendationInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        const kloeRefs = await checkedLinks(tx, assessment, input);
        const row = await repo.insertRecommendation(tx, {
          assessmentId,
          text: input.text,
          priority: input.priority,
          outcome: input.outcome,
          kloeRefs,
          areas: input.areas,
          updatedBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordAudit(tx, {
          actor,
          action: 'recommendation.created',
          entityType: 'recommendation',
          entityId: row.id,
          after: recommendationRecord(row),
        });
        return row;
      });
    },

    /** At the version the caller read; a save someone else beat is refused with theirs. */
    async update(actor: AssessmentActor, assessmentId: string, id: string, input: UpdateRecommendationInput) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadFor(tx, actor, assessmentId, 'judge');
        const before = await current(tx, assessmentId, id);
        const kloeRefs = await checkedLinks(tx, assessment, input);
        const { version, ...fields } = input;
        const updated = await repo.updateRecommendation(tx, { assessmentId, id }, version, {
          ...fields,
          kloeRefs,
          updatedBy: actor.kind === 'user' ? actor.userId : null,
        });
        if (!updated) {
          throw new EditConflict({
            version: before.version,
            updatedByLabel: await userLabel(tx, before.updatedBy),
            updatedAt: before.updatedAt,
            record: recommendationRecord(before),
          });
        }
        await recordAudit(tx, {
          actor,
          action: 'recommendation.updated',
          entityType: 'recommendation',
          entityId: id,
          before: recommendationRecord(before),
          after: recommendationRecord(updated),
        });
        return updated;
      });
    },

    async remove(actor: AssessmentActor, assessmentId: string, id: string) {
      await db.transaction(async (tx) => {
        await loadFor(tx, actor, assessmentId, 'judge');
        const before = await current(tx, assessmentId, id);
        await repo.deleteRecommendation(tx, { assessmentId, id });
        await recordAudit(tx, {
          actor,
          action: 'recommendation.deleted',
          entityType: 'recommendation',
          entityId: id,
          before: recommendationRecord(before),
        });
      });
    },
  };
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>;
