/**
 * The assessor's work inside an assessment: findings on statements, strengths and areas for improvement,
 * suggested and final ratings of each KLOE, the roll-ups to key questions and the overall judgement,
 * and the scorecard that shows them all.
 *
 * Two assessors saving the same KLOE: each save names the KLOE version it was made on; the version is
 * taken (compare-and-set, before any finding is written) so the second save is refused with the first
 * one's content and author instead of silently overwriting it.
 */
import { readAll } from '../../db/read-all.js';
import type { Database } from '../../db/database.js';
import type { FieldProblem } from '../../errors.js';
import type { LeafKloe } from '../frameworks/index.js';
import type { FrameworkDocument } from '../frameworks/index.js';
import { immutableContent } from '../../web/render-memo.js';
import { recordAudit } from '../audit/index.js';
import { loadFor, resolveAssessment, type AssessmentRef } from './assessment-access.js';
import {
  keyQuestionsInScope,
  kloesInScope,
  OVERALL,
  pinnedFramework,
  rulesOf,
  statementsOf,
} from './assessment-framework.js';
import { EditConflict, invalidAssessmentInput, kloeNotInAssessment } from './assessments.errors.js';
import { permissionsOn, type AssessmentActor } from './assessments.policy.js';
import type { AssessmentRow } from './assessments.repository.js';
import { userLabel } from './team.repository.js';
import {
  type FindingRow,
  findKloeJudgement,
  type KloeJudgementRow,
  type KloeWorkRow,
  listFindings,
  listKloeWork,
  listRollUps,
  type RollUpRow,
  updateKloeJudgement,
  updateRollUp,
  upsertFindings,
} from './judgements.repository.js';
import type { SaveKloeInput, SaveRollUpInput } from './assessments.schemas.js';
import type { FindingOutcome } from './assessments.tables.js';
import { suggestKloeRating, type KloeSuggestion } from './best-fit.js';
import { rollUpRatings, type RollUpResult } from './roll-up.js';
import { departsUnexplained, moderationRefusal, nextRationale } from './rating-rationale.js';
import { isReviewed } from './kloe-review.repository.js';
import { kloeReviewed } from './kloe-review.errors.js';

/** A reviewed KLOE refuses changes to its work until it is reopened (kloe-review.service.ts). */
async function refuseIfReviewed(tx: Database, id: string, ref: string) {
  if (await isReviewed(tx, id, ref)) throw kloeReviewed(ref);
}

/** The audit trail's name for one KLOE of one assessment (its history is kept under this). */
export const kloeEntityId = (assessmentId: string, ref: string) => `${assessmentId}/${ref}`;
export const rollUpEntityId = kloeEntityId;

function outcomesOf(rows: FindingRow[]): Map<string, FindingOutcome> {
  return new Map(rows.map((row) => [row.statementRef, row.outcome]));
}

/**
 * Suggestions worked out before, per KLOE of a pinned framework version (frozen: the same object on every
 * request, and with its version's scale and rules fixed) and per findings. Every KLOE page lists all the
 * KLOEs' suggestions, and the same findings always suggest the same: the rule need not run again.
 */
const suggestionsMade = new WeakMap<object, Map<string, KloeSuggestion>>();
const SUGGESTIONS_PER_KLOE = 256;

export function suggestionFor(
  doc: FrameworkDocument,
  leaf: LeafKloe,
  outcomes: Map<string, FindingOutcome>,
  exceeded: boolean,
): KloeSuggestion {
  if (!Object.isFrozen(leaf.kloe)) return runRule(doc, leaf, outcomes, exceeded);
  let made = suggestionsMade.get(leaf.kloe);
  if (!made) suggestionsMade.set(leaf.kloe, (made = new Map()));
  const key = `${exceeded}:${statementsOf(leaf)
    .map((s) => outcomes.get(s.ref) ?? '')
    .join(',')}`;
  let suggestion = made.get(key);
  if (!suggestion) {
    if (made.size >= SUGGESTIONS_PER_KLOE) made.clear();
    // Frozen, as it is shared: pages key it by identity (web/render-memo.ts), and no caller can change it.
    suggestion = immutableContent(runRule(doc, leaf, outcomes, exceeded));
    made.set(key, suggestion);
  }
  return suggestion;
}

function runRule(doc: FrameworkDocument, leaf: LeafKloe, outcomes: Map<string, FindingOutcome>, exceeded: boolean) {
  return suggestKloeRating(
    {
      ratingScale: doc.ratingScale,
      statements: statementsOf(leaf).map(({ ref, level, statement }) => ({ ref, level, text: statement.text })),
      findings: outcomes,
      exceeded,
    },
    rulesOf(doc).kloe,
  );
}

export interface KloeState {
  leaf: LeafKloe;
  judgement: KloeJudgementRow;
  findings: FindingRow[];
  suggestion: KloeSuggestion;
  judged: number;
  total: number;
}

export interface RollUpState {
  nodeRef: string;
  title: string;
  judgement: RollUpRow;
  suggestion: RollUpResult;
}

/** Every KLOE in scope with its findings, judgement and suggestion (what the KLOE workspace shows). */
async function computeKloes(db: Database, assessment: AssessmentRow) {
  const [doc, work] = await readAll(db, [
    () => pinnedFramework(db, assessment.frameworkVersionId),
    () => listKloeWork(db, assessment.id),
  ] as const);
  return { doc, kloes: kloeStates(doc, assessment, work) };
}

function kloeStates(doc: FrameworkDocument, assessment: AssessmentRow, work: KloeWorkRow[]): KloeState[] {
  const byRef = new Map(work.map((row) => [row.judgement.kloeRef, row]));
  return kloesInScope(doc, assessment.scope).map((leaf) => {
    const { judgement, findings } = byRef.get(leaf.kloe.ref)!;
    const total = statementsOf(leaf).length;
    const judged = findings.filter((f) => f.outcome !== 'not_judged').length;
    return {
      leaf,
      judgement,
      findings,
      judged,
      total,
      suggestion: suggestionFor(doc, leaf, outcomesOf(findings), judgement.exceeded),
    };
  });
}

/** Every KLOE in scope, and the roll-ups above them (what the scorecard and the checks before publishing need). */
async function computeState(db: Database, assessment: AssessmentRow) {
  const [{ doc, kloes }, rollUpRows] = await readAll(db, [
    () => computeKloes(db, assessment),
    () => listRollUps(db, assessment.id),
  ] as const);
  const rules = rulesOf(doc).rollUp;
  const rollUpRow = new Map(rollUpRows.map((row) => [row.nodeRef, row]));
  const keyQuestions: RollUpState[] = keyQuestionsInScope(doc, assessment.scope).map((kq) => ({
    nodeRef: kq.ref,
    title: kq.title,
    judgement: rollUpRow.get(kq.ref)!,
    suggestion: rollUpRatings(
      kloes.filter((k) => k.leaf.keyQuestion.ref === kq.ref).map((k) => k.judgement.finalRating),
      doc.ratingScale,
      rules,
    ),
  }));
  const overall: RollUpState = {
    nodeRef: OVERALL,
    title: 'Overall judgement',
    judgement: rollUpRow.get(OVERALL)!,
    suggestion: rollUpRatings(
      keyQuestions.map((kq) => kq.judgement.finalRating),
      doc.ratingScale,
      rules,
    ),
  };
  return { doc, kloes, keyQuestions, overall };
}

type AssessmentState = Awaited<ReturnType<typeof computeState>>;

/** The KLOEs, key questions and overall judgement that still lack a final rating. */
function unrated({ kloes, keyQuestions, overall }: AssessmentState): string[] {
  return [
    ...kloes.filter((k) => !k.judgement.finalRating).map((k) => `KLOE ${k.leaf.kloe.ref}`),
    ...keyQuestions.filter((kq) => !kq.judgement.finalRating).map((kq) => `key question ${kq.nodeRef}`),
    ...(overall.judgement.finalRating ? [] : ['the overall judgement']),
  ];
}

export async function missingFinalRatings(db: Database, assessment: AssessmentRow): Promise<string[]> {
  return unrated(await computeState(db, assessment));
}

/** The ratings whose final rating departs from their suggestion as it is now without a rationale written against it. */
function unexplained({ kloes, keyQuestions, overall }: AssessmentState): string[] {
  return [
    ...kloes.filter((k) => departsUnexplained(k.judgement, k.suggestion.rating)).map((k) => `KLOE ${k.leaf.kloe.ref}`),
    ...keyQuestions
      .filter((kq) => departsUnexplained(kq.judgement, kq.suggestion.rating))
      .map((kq) => `key question ${kq.nodeRef}`),
    ...(departsUnexplained(overall.judgement, overall.suggestion.rating) ? ['the overall judgement'] : []),
  ];
}

export async function unexplainedFinalRatings(db: Database, assessment: AssessmentRow): Promise<string[]> {
  return unexplained(await computeState(db, assessment));
}

/** The suggestion a KLOE's, key question's or the overall rating is measured against now. */
export async function currentSuggestion(db: Database, assessment: AssessmentRow, ref: string) {
  const state = await computeState(db, assessment);
  const node = [
    ...state.kloes.map((k) => ({ ref: k.leaf.kloe.ref, suggestion: k.suggestion })),
    ...[...state.keyQuestions, state.overall].map((n) => ({ ref: n.nodeRef, suggestion: n.suggestion })),
  ].find((n) => n.ref === ref);
  return node?.suggestion.rating ?? null;
}

/** What a save changes of a rating: the rating itself, or (with the same rating) its rationale. */
function ratingChange(
  before: { finalRating: string | null; rationale: string | null },
  finalRating: string | null,
  after: { rationale: string | null },
) {
  return { rating: finalRating !== before.finalRating, rationale: after.rationale !== before.rationale };
}

/** Counts of findings by outcome over the KLOEs given. */
function outcomeCounts(kloes: KloeState[]): Record<FindingOutcome, number> {
  const counts: Record<FindingOutcome, number> = { met: 0, partly_met: 0, not_met: 0, not_judged: 0 };
  for (const k of kloes) {
    for (const f of k.findings) counts[f.outcome] += 1;
    counts.not_judged += k.total - k.findings.length;
  }
  return counts;
}

/** A rating given must be on the framework's scale; differing from the suggestion needs a rationale. */
function ratingProblems(
  doc: FrameworkDocument,
  finalRating: string | null,
  suggested: string | null,
  rationale: string | null,
): FieldProblem[] {
  if (finalRating === null) return [];
  if (!doc.ratingScale.some((level) => level.id === finalRating)) {
    const scale = doc.ratingScale.map((level) => level.id).join(', ');
    return [{ field: 'finalRating', message: `Choose a rating on the framework's scale (${scale})` }];
  }
  if (finalRating !== suggested && !rationale) {
    const label = (id: string | null) => doc.ratingScale.find((l) => l.id === id)?.label.toLowerCase();
    const because = suggested ? `the suggested rating is ${label(suggested)}` : 'there is no suggested rating yet';
    return [{ field: 'rationale', message: `Explain why you rate it ${label(finalRating)}: ${because}` }];
  }
  return [];
}

/** What the audit trail and a conflict answer keep of one KLOE's work. */
function kloeRecord(judgement: KloeJudgementRow, findings: FindingRow[]) {
  const { strengths, areasForImprovement, exceeded, finalRating, rationale, version } = judgement;
  return {
    version,
    findings: Object.fromEntries(
      [...findings]
        .sort((a, b) => a.statementRef.localeCompare(b.statementRef, 'en', { numeric: true }))
        .map((f) => [f.statementRef, { outcome: f.outcome, note: f.note }]),
    ),
    strengths,
    areasForImprovement,
    exceeded,
    finalRating,
    rationale,
  };
}

export function createWorkspaceService(deps: { db: Database }) {
  const { db } = deps;

  async function kloeConflict(tx: Database, assessmentId: string, ref: string) {
    const judgement = (await findKloeJudgement(tx, assessmentId, ref))!;
    return new EditConflict({
      version: judgement.version,
      updatedByLabel: await userLabel(tx, judgement.updatedBy),
      updatedAt: judgement.updatedAt,
      record: kloeRecord(judgement, await listFindings(tx, assessmentId, ref)),
    });
  }

  return {
    /** Navigation, progress and the scorecard: every KLOE, key question and the overall judgement. */
    async overview(actor: AssessmentActor, assessmentRef: AssessmentRef) {
      const { assessment, teamRole } = await resolveAssessment(db, actor, assessmentRef);
      const state = await computeState(db, assessment);
      return {
        assessment,
        can: permissionsOn(actor, assessment, teamRole),
        ...state,
        counts: outcomeCounts(state.kloes),
        unjudged: state.kloes.filter((k) => k.judged < k.total),
        missingFinalRatings: unrated(state),
      };
    },

    /** One KLOE: its descriptors with the findings, its judgement, the suggestion and its reasons. */
    async kloe(actor: AssessmentActor, assessmentRef: AssessmentRef, ref: string) {
      const { assessment, teamRole } = await resolveAssessment(db, actor, assessmentRef);
      const state = await computeKloes(db, assessment);
      const index = state.kloes.findIndex((k) => k.leaf.kloe.ref === ref);
      if (index < 0) throw kloeNotInAssessment(ref);
      return {
        assessment,
        can: permissionsOn(actor, assessment, teamRole),
        doc: state.doc,
        kloe: state.kloes[index]!,
        previous: state.kloes[index - 1]?.leaf.kloe.ref,
        next: state.kloes[index + 1]?.leaf.kloe.ref,
        kloes: state.kloes,
      };
    },

    /**
     * Saves what is given of one KLOE's work at the version the assessor started from. Findings given
     * replace those statements' findings; the others stay as they were.
     */
    async saveKloe(actor: AssessmentActor, id: string, ref: string, input: SaveKloeInput) {
      return db.transaction(async (tx) => {
        const { assessment, teamRole } = await loadFor(tx, actor, id, 'judge');
        await refuseIfReviewed(tx, id, ref);
        const doc = await pinnedFramework(tx, assessment.frameworkVersionId);
        const leaf = kloesInScope(doc, assessment.scope).find((l) => l.kloe.ref === ref);
        if (!leaf) throw kloeNotInAssessment(ref);
        const statementRefs = new Set(statementsOf(leaf).map((s) => s.ref));

        const problems: FieldProblem[] = [];
        (input.findings ?? []).forEach((finding, i) => {
          if (!statementRefs.has(finding.statementRef)) {
            problems.push({
              field: `findings.${i}.statementRef`,
              message: `${finding.statementRef} is not a statement of KLOE ${ref} in this assessment's framework version`,
            });
          }
        });
        if (problems.length > 0) throw invalidAssessmentInput('Check the findings', problems);

        const before = await findKloeJudgement(tx, id, ref);
        if (!before) throw kloeNotInAssessment(ref);
        if (before.version !== input.version) throw await kloeConflict(tx, id, ref);
        const beforeFindings = await listFindings(tx, id, ref);

        // The suggestion the assessor's final rating is measured against is the one their own save produces.
        const outcomes = outcomesOf(beforeFindings);
        for (const f of input.findings ?? []) outcomes.set(f.statementRef, f.outcome);
        const exceeded = input.exceeded ?? before.exceeded;
        const suggestion = suggestionFor(doc, leaf, outcomes, exceeded);
        const finalRating = input.finalRating === undefined ? before.finalRating : input.finalRating || null;
        const explained = nextRationale(before, finalRating, input.rationale, suggestion.rating);
        const refused = moderationRefusal(
          assessment.status,
          ratingChange(before, finalRating, explained),
          teamRole === 'lead',
        );
        if (refused) throw refused;
        const ratingIssues = ratingProblems(doc, finalRating, suggestion.rating, explained.rationale);
        if (ratingIssues.length > 0) throw invalidAssessmentInput('Check the rating', ratingIssues);

        const by = actor.kind === 'user' ? actor.userId : null;
        const after = await updateKloeJudgement(tx, id, ref, input.version, {
          strengths: input.strengths ?? before.strengths,
          areasForImprovement: input.areasForImprovement ?? before.areasForImprovement,
          exceeded,
          finalRating,
          ...explained,
          updatedBy: by,
        });
        if (!after) throw await kloeConflict(tx, id, ref);
        const changedFindings = (input.findings ?? []).filter((f) => {
          const old = beforeFindings.find((b) => b.statementRef === f.statementRef);
          return (old?.outcome ?? 'not_judged') !== f.outcome || (old?.note ?? null) !== (f.note ?? null);
        });
        const now = new Date();
        await upsertFindings(
          tx,
          changedFindings.map((f) => ({
            assessmentId: id,
            statementRef: f.statementRef,
            kloeRef: ref,
            outcome: f.outcome,
            note: f.note ?? null,
            updatedBy: by,
            updatedAt: now,
          })),
        );
        const afterFindings = await listFindings(tx, id, ref);
        await recordAudit(tx, {
          actor,
          action: 'kloe.updated',
          entityType: 'kloe',
          entityId: kloeEntityId(id, ref),
          before: kloeRecord(before, beforeFindings),
          after: kloeRecord(after, afterFindings),
          reason: input.reason ?? null,
        });
        return { judgement: after, findings: afterFindings, suggestion };
      });
    },

    /** The final rating of a key question or of the overall judgement, measured against its roll-up. */
    async saveRollUp(actor: AssessmentActor, id: string, nodeRef: string, input: SaveRollUpInput) {
      return db.transaction(async (tx) => {
        const { assessment, teamRole } = await loadFor(tx, actor, id, 'judge');
        const state = await computeState(tx, assessment);
        const node = [...state.keyQuestions, state.overall].find((n) => n.nodeRef === nodeRef);
        if (!node) throw kloeNotInAssessment(nodeRef);
        const before = node.judgement;
        const conflict = async () =>
          new EditConflict({
            version: before.version,
            updatedByLabel: await userLabel(tx, before.updatedBy),
            updatedAt: before.updatedAt,
            record: { finalRating: before.finalRating, rationale: before.rationale },
          });
        if (before.version !== input.version) throw await conflict();
        const finalRating = input.finalRating === undefined ? before.finalRating : input.finalRating || null;
        const explained = nextRationale(before, finalRating, input.rationale, node.suggestion.rating);
        const refused = moderationRefusal(
          assessment.status,
          ratingChange(before, finalRating, explained),
          teamRole === 'lead',
        );
        if (refused) throw refused;
        const issues = ratingProblems(state.doc, finalRating, node.suggestion.rating, explained.rationale);
        if (issues.length > 0) throw invalidAssessmentInput('Check the rating', issues);
        const after = await updateRollUp(tx, id, nodeRef, input.version, {
          finalRating,
          ...explained,
          updatedBy: actor.kind === 'user' ? actor.userId : null,
        });
        if (!after) throw await conflict();
        await recordAudit(tx, {
          actor,
          action: 'rating.updated',
          entityType: 'kloe',
          entityId: rollUpEntityId(id, nodeRef),
          before: { finalRating: before.finalRating, rationale: before.rationale },
          after: { finalRating: after.finalRating, rationale: after.rationale },
        });
        return { judgement: after, suggestion: node.suggestion };
      });
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
