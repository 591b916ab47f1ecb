/**
 * A self-assessment set beside an inspection (or peer review) of the same service: per KLOE in scope of
 * both, per key question and overall, each side's suggested and final rating and how many steps of the
 * rating scale the final ratings are apart; and statement by statement, where the two sides' findings
 * differ. The other side is the one the person chooses among those of the other kind they may see (the
 * policy's `view` rule, with their place on its team), or the most recently changed; there may be none.
 */
import type { Database } from '../../db/database.js';
import { notFound } from '../../errors.js';
import type { RatingLevel } from '../frameworks/index.js';
import { resolveAssessment, type AssessmentRef } from './assessment-access.js';
import { statementsOf } from './assessment-framework.js';
import { may, type AssessmentActor } from './assessments.policy.js';
import { type AssessmentRow, otherAssessmentsOfService } from './assessments.repository.js';
import { teamRoleOf } from './team.repository.js';
import type { AssessmentKind, FindingOutcome } from './assessments.tables.js';
import { createWorkspaceService, type KloeState, type RollUpState } from './workspace.service.js';

export interface ComparedRating {
  final: string | null;
  suggested: string | null;
}

export interface ComparisonRow {
  /** A KLOE ("4.1"), a key question ("4") or "overall". */
  ref: string;
  level: 'kloe' | 'key_question' | 'overall';
  question: string;
  keyQuestionRef: string | null;
  self: ComparedRating;
  external: ComparedRating;
  /**
   * Scale steps from the self-assessment's final rating to the other side's (the scale runs best to
   * worst, so positive means the inspection rates it lower); null unless both have a final rating.
   */
  steps: number | null;
  differs: boolean;
}

/** A statement whose findings differ between the two sides (not judged counts as a finding). */
export interface StatementDifference {
  ref: string;
  kloeRef: string;
  text: string;
  self: FindingOutcome;
  external: FindingOutcome;
}

export interface Comparison {
  /** The assessment asked about. */
  assessment: AssessmentRow;
  /** The two sides, or only the one asked about when there is nothing to compare it with. */
  self: AssessmentRow | undefined;
  external: AssessmentRow | undefined;
  /** The assessments of the other kind it may be compared with, most recently changed first. */
  choices: AssessmentRow[];
  scale: RatingLevel[];
  /** KLOE rows. */
  rows: ComparisonRow[];
  /** Key question rows, then the overall row. */
  rollUps: ComparisonRow[];
  statements: StatementDifference[];
  /** KLOEs in scope of one side only. */
  onlyInOne: string[];
}

/** Self-assessments are compared with inspections and peer reviews, and the other way round. */
const otherKinds = (kind: AssessmentKind): AssessmentKind[] =>
  kind === 'self_assessment' ? ['inspection', 'peer_review'] : ['self_assessment'];

const rated = (judgement: { finalRating: string | null }, suggestion: { rating: string | null }): ComparedRating => ({
  final: judgement.finalRating,
  suggested: suggestion.rating,
});

const outcomesOf = (k: KloeState) => new Map(k.findings.map((f) => [f.statementRef, f.outcome]));

const comparisonNotFound = (id: string) =>
  notFound('comparison_not_found', `No assessment "${id}" of the other kind of this service that you may see`);

export function createComparisonService(deps: { db: Database }) {
  const { db } = deps;
  const workspace = createWorkspaceService({ db });

  /** The assessments of the other kind of the same service that the actor may see, most recent first. */
  async function counterparts(actor: AssessmentActor, assessment: AssessmentRow) {
    const kinds = otherKinds(assessment.kind);
    const candidates = (await otherAssessmentsOfService(db, assessment.serviceId, assessment.seriesId)).filter((row) =>
      kinds.includes(row.kind),
    );
    const visible: AssessmentRow[] = [];
    for (const row of candidates) {
      const teamRole = actor.kind === 'user' ? await teamRoleOf(db, row.id, actor.userId) : undefined;
      if (may(actor, 'view', row, teamRole)) visible.push(row);
    }
    return visible;
  }

  return {
    /** `withId`: the other side chosen (one of `choices`); without it, the most recently changed. */
    async compare(actor: AssessmentActor, assessmentRef: AssessmentRef, withId?: string): Promise<Comparison> {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const { assessment } = loaded;
      const choices = await counterparts(actor, assessment);
      const other = withId ? choices.find((c) => c.id === withId) : choices[0];
      if (withId && !other) throw comparisonNotFound(withId);
      const isSelf = assessment.kind === 'self_assessment';
      const [self, external] = isSelf ? [assessment, other] : [other, assessment];
      const here = await workspace.overview(actor, loaded);
      const empty = { rows: [], rollUps: [], statements: [], onlyInOne: [] };
      if (!self || !external) return { assessment, self, external, choices, scale: here.doc.ratingScale, ...empty };
      const there = await workspace.overview(actor, other!.id);
      const [selfView, externalView] = isSelf ? [here, there] : [there, here];
      const scale = externalView.doc.ratingScale;
      const position = (rating: string | null) => (rating ? scale.findIndex((level) => level.id === rating) : -1);
      const row = (
        base: Pick<ComparisonRow, 'ref' | 'level' | 'question' | 'keyQuestionRef'>,
        s: ComparedRating,
        x: ComparedRating,
      ): ComparisonRow => {
        const [p, q] = [position(s.final), position(x.final)];
        const steps = p >= 0 && q >= 0 ? q - p : null;
        return { ...base, self: s, external: x, steps, differs: steps !== null && steps !== 0 };
      };

      const externalKloes = new Map(externalView.kloes.map((k) => [k.leaf.kloe.ref, k]));
      const rows: ComparisonRow[] = [];
      const statements: StatementDifference[] = [];
      for (const k of selfView.kloes) {
        const e = externalKloes.get(k.leaf.kloe.ref);
        if (!e) continue;
        rows.push(
          row(
            {
              ref: k.leaf.kloe.ref,
              level: 'kloe',
              question: k.leaf.kloe.question,
              keyQuestionRef: k.leaf.keyQuestion.ref,
            },
            rated(k.judgement, k.suggestion),
            rated(e.judgement, e.suggestion),
          ),
        );
        const [mine, theirs] = [outcomesOf(k), outcomesOf(e)];
        for (const s of statementsOf(k.leaf)) {
          const [a, b] = [mine.get(s.ref) ?? 'not_judged', theirs.get(s.ref) ?? 'not_judged'];
          if (a !== b)
            statements.push({ ref: s.ref, kloeRef: k.leaf.kloe.ref, text: s.statement.text, self: a, external: b });
        }
      }
      const externalRollUps = new Map(
        [...externalView.keyQuestions, externalView.overall].map((n): [string, RollUpState] => [n.nodeRef, n]),
      );
      const rollUps = [...selfView.keyQuestions, selfView.overall].flatMap((n) => {
        const e = externalRollUps.get(n.nodeRef);
        if (!e) return [];
        const overall = n === selfView.overall;
        return [
          row(
            {
              ref: n.nodeRef,
              level: overall ? 'overall' : 'key_question',
              question: n.title,
              keyQuestionRef: overall ? null : n.nodeRef,
            },
            rated(n.judgement, n.suggestion),
            rated(e.judgement, e.suggestion),
          ),
        ];
      });
      const compared = new Set(rows.map((r) => r.ref));
      const onlyInOne = [...selfView.kloes, ...externalView.kloes]
        .map((k) => k.leaf.kloe.ref)
        .filter((ref, i, all) => !compared.has(ref) && all.indexOf(ref) === i);
      return { assessment, self, external, choices, scale, rows, rollUps, statements, onlyInOne };
    },
  };
}

export type ComparisonService = ReturnType<typeof createComparisonService>;
