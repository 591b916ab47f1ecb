/**
 * A self-assessment set beside an inspection (or peer review) of the same service: per KLOE in scope of
 * both, each side's suggested and final rating, and how many steps of the rating scale the final ratings
 * are apart. The other side is the most recently changed assessment of the other kind that the actor may
 * see (the policy's `view` rule, with their place on its team); there may be none.
 */
import type { Database } from '../../db/database.js';
import type { RatingLevel } from '../frameworks/framework.model.js';
import { loadAssessment } from './assessment-access.js';
import { may, type AssessmentActor } from './assessments.policy.js';
import * as repo from './assessments.repository.js';
import type { AssessmentKind } from './assessments.tables.js';
import { createWorkspaceService, type KloeState } from './workspace.service.js';

export interface ComparedRating {
  final: string | null;
  suggested: string | null;
}

export interface ComparisonRow {
  ref: string;
  question: string;
  keyQuestionRef: string;
  self: ComparedRating;
  external: ComparedRating;
  /**
   * Scale steps from the self-assessment's final rating to the other side's (the scale runs best to
   * worst, so positive means the inspection rates it lower); null unless both have a final rating.
   */
  steps: number | null;
  differs: boolean;
}

export interface Comparison {
  /** The assessment asked about. */
  assessment: repo.AssessmentRow;
  /** The two sides, or only the one asked about when there is nothing to compare it with. */
  self: repo.AssessmentRow | undefined;
  external: repo.AssessmentRow | undefined;
  scale: RatingLevel[];
  rows: ComparisonRow[];
  /** KLOEs in scope of one side only. */
  onlyInOne: string[];
}

/** Self-assessments are compared with inspections and peer reviews, and the other way round. */
const otherKinds = (kind: AssessmentKind): AssessmentKind[] =>
  kind === 'self_assessment' ? ['inspection', 'peer_review'] : ['self_assessment'];

const rated = (k: KloeState): ComparedRating => ({ final: k.judgement.finalRating, suggested: k.suggestion.rating });

export function createComparisonService(deps: { db: Database }) {
  const { db } = deps;
  const workspace = createWorkspaceService({ db });

  /** The most recent assessment of the other kind of the same service that the actor may see. */
  async function counterpart(actor: AssessmentActor, assessment: repo.AssessmentRow) {
    const kinds = otherKinds(assessment.kind);
    const candidates = (await repo.otherAssessmentsOfService(db, assessment.serviceId, assessment.seriesId)).filter(
      (row) => kinds.includes(row.kind),
    );
    for (const row of candidates) {
      const teamRole = actor.kind === 'user' ? await repo.teamRoleOf(db, row.id, actor.userId) : undefined;
      if (may(actor, 'view', row, teamRole)) return row;
    }
    return undefined;
  }

  return {
    async compare(actor: AssessmentActor, id: string): Promise<Comparison> {
      const { assessment } = await loadAssessment(db, actor, id);
      const other = await counterpart(actor, assessment);
      const isSelf = assessment.kind === 'self_assessment';
      const [self, external] = isSelf ? [assessment, other] : [other, assessment];
      const here = await workspace.overview(actor, assessment.id);
      if (!self || !external) {
        return { assessment, self, external, scale: here.doc.ratingScale, rows: [], onlyInOne: [] };
      }
      const there = await workspace.overview(actor, other!.id);
      const [selfView, externalView] = isSelf ? [here, there] : [there, here];
      const scale = externalView.doc.ratingScale;
      const position = (rating: string | null) => (rating ? scale.findIndex((level) => level.id === rating) : -1);
      const externalKloes = new Map(externalView.kloes.map((k) => [k.leaf.kloe.ref, k]));
      const rows: ComparisonRow[] = [];
      for (const k of selfView.kloes) {
        const e = externalKloes.get(k.leaf.kloe.ref);
        if (!e) continue;
        const [s, x] = [position(k.judgement.finalRating), position(e.judgement.finalRating)];
        const steps = s >= 0 && x >= 0 ? x - s : null;
        rows.push({
          ref: k.leaf.kloe.ref,
          question: k.leaf.kloe.question,
          keyQuestionRef: k.leaf.keyQuestion.ref,
          self: rated(k),
          external: rated(e),
          steps,
          differs: steps !== null && steps !== 0,
        });
      }
      const compared = new Set(rows.map((row) => row.ref));
      const onlyInOne = [...selfView.kloes, ...externalView.kloes]
        .map((k) => k.leaf.kloe.ref)
        .filter((ref, i, all) => !compared.has(ref) && all.indexOf(ref) === i);
      return { assessment, self, external, scale, rows, onlyInOne };
    },
  };
}

export type ComparisonService = ReturnType<typeof createComparisonService>;
