/** The comparison in words, as the page and the CSV show it: rating labels and how far apart they are. */
import { KIND_LABELS, OUTCOME_LABELS } from './assessments.schemas.js';
import type { Comparison, ComparisonRow } from './comparison.service.js';

export function comparisonView(result: Comparison) {
  const label = (rating: string | null) => result.scale.find((level) => level.id === rating)?.label ?? null;
  const externalKind = result.external ? KIND_LABELS[result.external.kind] : 'Inspection';
  const described = (row: ComparisonRow) => ({
    ...row,
    name:
      row.level === 'kloe' ? `KLOE ${row.ref}` : row.level === 'key_question' ? `Key question ${row.ref}` : 'Overall',
    selfFinal: label(row.self.final),
    selfSuggested: label(row.self.suggested),
    externalFinal: label(row.external.final),
    externalSuggested: label(row.external.suggested),
    differenceText:
      row.steps === null
        ? 'Not both rated yet'
        : row.steps === 0
          ? 'Same rating'
          : `${externalKind} rates it ${Math.abs(row.steps)} level${Math.abs(row.steps) === 1 ? '' : 's'} ${row.steps > 0 ? 'lower' : 'higher'}`,
  });
  return {
    externalKind,
    rows: result.rows.map(described),
    rollUps: result.rollUps.map(described),
    statements: result.statements.map((s) => ({
      ...s,
      selfText: OUTCOME_LABELS[s.self],
      externalText: OUTCOME_LABELS[s.external],
    })),
  };
}

export type ComparisonView = ReturnType<typeof comparisonView>;

/** The comparison as CSV rows: ratings (overall, key questions, KLOEs), then the statements whose findings differ. */
export function comparisonCsvRows(view: ComparisonView) {
  const columns = ['level', 'ref', 'self-assessment', view.externalKind.toLowerCase(), 'difference'] as const;
  const overall = view.rollUps.filter((r) => r.level === 'overall');
  const keyQuestions = view.rollUps.filter((r) => r.level === 'key_question');
  const ratingRows = [...overall, ...keyQuestions, ...view.rows].map((r) => [
    r.level === 'kloe' ? 'KLOE' : r.level === 'key_question' ? 'key question' : 'overall',
    r.ref,
    r.selfFinal ?? 'no final rating',
    r.externalFinal ?? 'no final rating',
    r.differenceText,
  ]);
  const statementRows = view.statements.map((s) => ['statement', s.ref, s.selfText, s.externalText, 'Findings differ']);
  return { columns, rows: [...ratingRows, ...statementRows] };
}
