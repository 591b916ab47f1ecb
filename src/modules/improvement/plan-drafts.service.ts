/**
 * From report to plan in one step: a published inspection's (or any self-assessment's) recommendations,
 * and a self-assessment's areas for improvement, become draft aims of the service's plan, each linked to
 * what it came from. Each source is keyed on the plan (improvement_aims.source_key), so drafting twice
 * adds nothing twice. Also what an assessment's recommendations page shows of the plan: which aim answers
 * each recommendation, and whether the person may draft.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { loadAssessment } from '../assessments/index.js';
import type { AssessmentRow } from '../assessments/index.js';
import { listKloeJudgements } from '../assessments/index.js';
import { listRecommendations } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { planForbidden } from './improvement.errors.js';
import { mayOnPlan, type PlanActor } from './improvement.policy.js';
import * as repo from './improvement.repository.js';

const assessmentNotReady = () =>
  new AppError(
    'assessment_not_published',
    409,
    'Only a published inspection’s recommendations can be turned into a plan; a self-assessment’s at any time',
  );

/** May this assessment's findings be drafted into a plan yet? */
const draftable = (a: Pick<AssessmentRow, 'kind' | 'status'>) =>
  a.kind === 'self_assessment' || a.status === 'published';

const TITLE_MAX = 300;
const shortTitle = (text: string) => (text.length <= TITLE_MAX ? text : `${text.slice(0, TITLE_MAX - 1)}…`);
const areaKey = (assessmentId: string, kloeRef: string, text: string) =>
  `area:${assessmentId}:${kloeRef}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

export const planHref = (organisationId: string, serviceId: string) =>
  `/organisations/${organisationId}/services/${serviceId}/plan`;

export function createPlanDraftsService(deps: { db: Database }) {
  const { db } = deps;

  return {
    /** Adds a draft aim for every recommendation (and self-assessment area) not drafted before. */
    async draftFromAssessment(actor: PlanActor, assessmentId: string) {
      return db.transaction(async (tx) => {
        const { assessment } = await loadAssessment(tx, actor, assessmentId, { lock: 'share' });
        if (!mayOnPlan(actor, 'edit', assessment.organisationId)) throw planForbidden();
        if (!draftable(assessment)) throw assessmentNotReady();
        const recommendations = await listRecommendations(tx, assessmentId);
        const drafts = recommendations.map((r) => ({
          sourceKey: `recommendation:${r.id}`,
          title: shortTitle(r.text),
          description: r.outcome,
          kloeRefs: r.kloeRefs,
          recommendationIds: [r.id],
        }));
        if (assessment.kind === 'self_assessment') {
          // Areas a recommendation already answers come with that recommendation's aim.
          const answered = new Set(recommendations.flatMap((r) => r.areas.map((a) => `${a.kloeRef}|${a.text}`)));
          for (const judgement of await listKloeJudgements(tx, assessmentId)) {
            for (const text of judgement.areasForImprovement) {
              if (answered.has(`${judgement.kloeRef}|${text}`)) continue;
              drafts.push({
                sourceKey: areaKey(assessmentId, judgement.kloeRef, text),
                title: shortTitle(text),
                description: `An area for improvement on KLOE ${judgement.kloeRef} in “${assessment.title}”`,
                kloeRefs: [judgement.kloeRef],
                recommendationIds: [],
              });
            }
          }
        }
        const plan = await repo.ensurePlan(tx, assessment.organisationId, assessment.serviceId);
        const updatedBy = actor.kind === 'user' ? actor.userId : null;
        let created = 0;
        for (const draft of drafts) {
          const row = await repo.insertAim(tx, plan.id, { ...draft, updatedBy });
          if (!row) continue; // drafted before
          created += 1;
          await recordAudit(tx, {
            actor,
            action: 'improvement_aim.drafted',
            entityType: 'improvement_aim',
            entityId: row.id,
            after: { ...draft, id: row.id, planId: plan.id, assessmentId },
          });
        }
        return { created, href: planHref(assessment.organisationId, assessment.serviceId) };
      });
    },

    /**
     * What the assessment's recommendations page shows of the plan: the aim answering each recommendation
     * (to those who may see the plan) and whether the person may draft aims from this assessment now.
     */
    async forRecommendationsPage(
      actor: PlanActor,
      assessment: Pick<AssessmentRow, 'id' | 'organisationId' | 'serviceId' | 'kind' | 'status'>,
    ) {
      const aims: Record<string, { title: string; href: string }> = {};
      if (!mayOnPlan(actor, 'view', assessment.organisationId)) return { aims, mayDraft: false };
      const plan = await repo.findPlan(db, assessment.serviceId);
      const href = planHref(assessment.organisationId, assessment.serviceId);
      for (const aim of plan ? await repo.listAims(db, plan.id) : []) {
        for (const id of aim.recommendationIds) aims[id] ??= { title: aim.title, href: `${href}#aim-${aim.id}` };
      }
      return { aims, mayDraft: mayOnPlan(actor, 'edit', assessment.organisationId) && draftable(assessment) };
    },
  };
}

export type PlanDraftsService = ReturnType<typeof createPlanDraftsService>;
