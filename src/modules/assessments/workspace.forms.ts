/**
 * The KLOE workspace's and the scorecard's forms as a browser posts them: flat urlencoded fields
 * (`finding-5.2.4-P7`, `note-5.2.4-P7`, textareas with one entry a line, a checkbox, radios) turned into
 * the API's save bodies, and a saved KLOE turned back into the fields. Pure.
 */
import type { FieldProblem } from '../../errors.js';
import type { FindingRow, KloeJudgementRow, RollUpRow } from './judgements.repository.js';
import { FINDING_OUTCOMES, type FindingOutcome } from './assessments.tables.js';

export type FormValues = Record<string, string>;

export const findingField = (statementRef: string) => `finding-${statementRef}`;
export const noteField = (statementRef: string) => `note-${statementRef}`;

/** The value of the "exceeds the best descriptor" checkbox. */
export const EXCEEDED_VALUE = 'yes';

/** A posted field as one string: a repeated field counts by its first value, a missing one as blank. */
function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The posted fields as strings, without anything that is not text. */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  for (const name of Object.keys((body ?? {}) as Record<string, unknown>)) {
    const value = text(body as Record<string, unknown>, name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** One entry a line; blank lines are dropped by the schema. */
export const linesOf = (value: string | undefined) => (value ?? '').split(/\r?\n/).map((line) => line.trim());

/**
 * The posted KLOE form as a body for saveKloeBody. Findings are read for the KLOE's statements whose
 * outcome field was posted (the page always posts them all: one radio of each is always chosen).
 */
export function kloeBodyFromForm(values: FormValues, statementRefs: readonly string[]) {
  const posted = statementRefs.filter((ref) => values[findingField(ref)] !== undefined);
  return {
    body: {
      version: values.version ?? '',
      findings: posted.map((ref) => ({
        statementRef: ref,
        outcome: values[findingField(ref)],
        note: values[noteField(ref)] ?? '',
      })),
      strengths: linesOf(values.strengths),
      areasForImprovement: linesOf(values.areasForImprovement),
      exceeded: values.exceeded === EXCEEDED_VALUE,
      finalRating: values.finalRating ?? null,
      rationale: values.rationale ?? '',
      reason: values.reason ?? '',
    },
    /** The statement ref of each finding, in order: to name the field of a problem with `findings.N`. */
    findingRefs: posted,
  };
}

/**
 * The findings as a posted form gives them: each statement's posted outcome, or its saved one where the
 * form posted none (or something that is no outcome). A refused save's page describes these, not the saved.
 */
export function postedOutcomes(
  values: FormValues,
  statementRefs: readonly string[],
  saved: ReadonlyMap<string, FindingOutcome>,
): Map<string, FindingOutcome> {
  const outcomes = new Map(saved);
  for (const ref of statementRefs) {
    const posted = values[findingField(ref)];
    if ((FINDING_OUTCOMES as readonly string[]).includes(posted ?? '')) outcomes.set(ref, posted as FindingOutcome);
  }
  return outcomes;
}

/** Which form field a problem of the save body (or of the service) is about. */
export function kloeFieldOf(problemField: string, findingRefs: readonly string[]): string {
  const finding = /^findings\.(\d+)(?:\.(\w+))?/.exec(problemField);
  if (finding) {
    const ref = findingRefs[Number(finding[1])];
    if (ref === undefined) return 'findings';
    return finding[2] === 'note' ? noteField(ref) : findingField(ref);
  }
  const list = /^(strengths|areasForImprovement)\./.exec(problemField);
  return list ? list[1]! : problemField;
}

export function kloeProblemsForForm(problems: FieldProblem[], findingRefs: readonly string[]): FieldProblem[] {
  return problems.map((p) => ({ ...p, field: kloeFieldOf(p.field, findingRefs) }));
}

/** A saved KLOE as the form's fields. */
export function kloeFormValues(
  judgement: Pick<
    KloeJudgementRow,
    'version' | 'strengths' | 'areasForImprovement' | 'exceeded' | 'finalRating' | 'rationale'
  >,
  findings: Pick<FindingRow, 'statementRef' | 'outcome' | 'note'>[],
  statementRefs: readonly string[],
): FormValues {
  const byRef = new Map(findings.map((f) => [f.statementRef, f]));
  const values: FormValues = {
    version: String(judgement.version),
    strengths: judgement.strengths.join('\n'),
    areasForImprovement: judgement.areasForImprovement.join('\n'),
    finalRating: judgement.finalRating ?? '',
    rationale: judgement.rationale ?? '',
    reason: '',
  };
  if (judgement.exceeded) values.exceeded = EXCEEDED_VALUE;
  for (const ref of statementRefs) {
    values[findingField(ref)] = byRef.get(ref)?.outcome ?? 'not_judged';
    values[noteField(ref)] = byRef.get(ref)?.note ?? '';
  }
  return values;
}

/** The posted rating form of a key question or of the overall judgement as a body for saveRollUpBody. */
export function rollUpBodyFromForm(values: FormValues) {
  return { version: values.version ?? '', finalRating: values.finalRating ?? null, rationale: values.rationale ?? '' };
}

export function rollUpFormValues(judgement: Pick<RollUpRow, 'version' | 'finalRating' | 'rationale'>): FormValues {
  return {
    version: String(judgement.version),
    finalRating: judgement.finalRating ?? '',
    rationale: judgement.rationale ?? '',
  };
}

/** A conflict's record of a KLOE (see kloeRecord in workspace.service.ts), read defensively for the page. */
export interface KloeConflictRecord {
  findings: { ref: string; outcome: string; note: string | null }[];
  strengths: string[];
  areasForImprovement: string[];
  exceeded: boolean;
  finalRating: string | null;
  rationale: string | null;
}

export function kloeConflictRecord(record: unknown): KloeConflictRecord {
  const r = (record ?? {}) as Partial<{
    findings: Record<string, { outcome: string; note: string | null }>;
    strengths: string[];
    areasForImprovement: string[];
    exceeded: boolean;
    finalRating: string | null;
    rationale: string | null;
  }>;
  return {
    findings: Object.entries(r.findings ?? {}).map(([ref, f]) => ({ ref, outcome: f.outcome, note: f.note ?? null })),
    strengths: r.strengths ?? [],
    areasForImprovement: r.areasForImprovement ?? [],
    exceeded: r.exceeded ?? false,
    finalRating: r.finalRating ?? null,
    rationale: r.rationale ?? null,
  };
}
