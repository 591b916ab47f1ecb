/**
 * CSV tables for spreadsheets: the ratings (every KLOE, key question and the overall judgement) and the
 * findings (every statement of every KLOE in scope). UTF-8 with a byte-order mark, so Excel reads the
 * curly quotes and dashes of the framework's text correctly; quoted and formula-safe (spreadsheet-csv.ts),
 * one row per KLOE or statement however many lines its strengths, areas and notes have.
 */
import { spreadsheetCsv, type CsvCell } from '../../files/spreadsheet-csv.js';
import { statementsOf } from '../assessments/index.js';
import { OUTCOME_LABELS } from '../assessments/index.js';
import type { ReportInput } from './report.model.js';

const csv = (columns: string[], rows: CsvCell[][]) => spreadsheetCsv(columns, rows, { bom: true });

export function ratingsCsv(input: ReportInput): string {
  const label = (id: string | null | undefined) =>
    id ? (input.doc.ratingScale.find((l) => l.id === id)?.label ?? id) : '';
  return csv(
    [
      'level',
      'ref',
      'title',
      'statements_judged',
      'suggested_rating',
      'final_rating',
      'rationale',
      'strengths',
      'areas_for_improvement',
    ],
    [
      ...input.kloes.map((k) => [
        'kloe',
        k.leaf.kloe.ref,
        k.leaf.kloe.question,
        `${k.judged}/${k.total}`,
        label(k.suggestion.rating),
        label(k.judgement.finalRating),
        k.judgement.rationale,
        k.judgement.strengths.join('\n'),
        k.judgement.areasForImprovement.join('\n'),
      ]),
      ...[...input.keyQuestions, input.overall].map((n) => [
        n.nodeRef === 'overall' ? 'overall' : 'key_question',
        n.nodeRef,
        n.title,
        null,
        label(n.suggestion.rating),
        label(n.judgement.finalRating),
        n.judgement.rationale,
        null,
        null,
      ]),
    ],
  );
}

export function findingsCsv(input: ReportInput): string {
  const rows = input.kloes.flatMap((k) => {
    const found = new Map(k.findings.map((f) => [f.statementRef, f]));
    return statementsOf(k.leaf).map((s) => {
      const f = found.get(s.ref);
      return [
        k.leaf.kloe.ref,
        s.ref,
        s.level,
        s.statement.text,
        OUTCOME_LABELS[f?.outcome ?? 'not_judged'],
        f?.note ?? null,
      ];
    });
  });
  return csv(['kloe_ref', 'statement_ref', 'descriptor_level', 'statement', 'outcome', 'note'], rows);
}
