/**
 * What a custom DOCX template can show: a plain, stable JSON view of the report model, and its shape
 * (`TEMPLATE_FIELDS`), against which uploaded templates are checked placeholder by placeholder.
 * The view changes only by adding fields, so a template that works keeps working; docs/report-templates.md
 * documents every field (a test holds the two together). Absent values are empty text, never null, so a
 * placeholder always prints something and `{{IF $k.rationale}}` reads naturally.
 */
import type { ReportModel } from './report.model.js';

/** The shape of a field: text, a number, yes/no, a list of something, or a group of named fields. */
export type FieldShape = 'text' | 'number' | 'yes/no' | { list: FieldShape } | { fields: Record<string, FieldShape> };

const group = (fields: Record<string, FieldShape>): FieldShape => ({ fields });
const list = (of: FieldShape): FieldShape => ({ list: of });

export const TEMPLATE_FIELDS = {
  title: 'text',
  draft: 'yes/no',
  organisation: group({ name: 'text' }),
  service: group({ name: 'text' }),
  assessment: group({
    title: 'text',
    kind: 'text',
    revision: 'number',
    status: 'text',
    dates: 'text',
    reportDate: 'text',
    framework: 'text',
  }),
  team: list(group({ name: 'text', role: 'text' })),
  summary: group({ headline: 'text', reasons: list('text') }),
  overall: group({ rating: 'text', rationale: 'text' }),
  keyQuestions: list(
    group({
      ref: 'text',
      title: 'text',
      rating: 'text',
      rationale: 'text',
      kloes: list(group({ ref: 'text', question: 'text', rating: 'text' })),
    }),
  ),
  kloes: list(
    group({
      ref: 'text',
      question: 'text',
      keyQuestion: 'text',
      rating: 'text',
      suggestedRating: 'text',
      rationale: 'text',
      statementsJudged: 'text',
      strengths: list('text'),
      areasForImprovement: list('text'),
      evidence: list(group({ title: 'text', relation: 'text', statement: 'text' })),
    }),
  ),
  indicators: list(group({ title: 'text', description: 'text' })),
  recommendations: list(
    group({
      number: 'number',
      text: 'text',
      priority: 'text',
      outcome: 'text',
      kloes: 'text',
      areas: list(group({ kloe: 'text', text: 'text' })),
    }),
  ),
  evidence: list(group({ title: 'text', kind: 'text', source: 'text', date: 'text', sha256: 'text' })),
} satisfies Record<string, FieldShape>;

export const TEMPLATE_ROOT: FieldShape = { fields: TEMPLATE_FIELDS };

/** The report model as templates see it. */
export function templateData(report: ReportModel) {
  const tp = report.titlePage;
  return {
    title: report.title,
    draft: report.draft,
    organisation: { name: tp.organisation },
    service: { name: tp.service },
    assessment: {
      title: report.title,
      kind: tp.kind,
      revision: tp.revision,
      status: tp.status,
      dates: tp.dates,
      reportDate: tp.reportDate,
      framework: tp.framework,
    },
    team: tp.team.map(({ name, role }) => ({ name, role })),
    summary: { headline: report.summary.headline, reasons: [...report.summary.reasons] },
    overall: { rating: report.overall.rating.label, rationale: report.overall.rationale ?? '' },
    keyQuestions: report.scorecard.map((kq) => ({
      ref: kq.ref,
      title: kq.title,
      rating: kq.rating.label,
      rationale: kq.rationale ?? '',
      kloes: kq.kloes.map((k) => ({ ref: k.ref, question: k.question, rating: k.rating.label })),
    })),
    kloes: report.kloes.map((k) => ({
      ref: k.ref,
      question: k.question,
      keyQuestion: k.keyQuestionRef,
      rating: k.rating.label,
      suggestedRating: k.suggested.label,
      rationale: k.rationale ?? '',
      statementsJudged: k.statementsJudged,
      strengths: [...k.strengths],
      areasForImprovement: [...k.areasForImprovement],
      evidence: k.evidence.map((e) => ({ title: e.title, relation: e.relation, statement: e.statementRef ?? '' })),
    })),
    indicators: report.charts.map((c) => ({ title: c.title, description: c.textAlternative })),
    recommendations: report.recommendations.map((r) => ({
      number: r.number,
      text: r.text,
      priority: r.priority,
      outcome: r.outcome,
      kloes: r.kloeRefs.join(', '),
      areas: r.areas.map((a) => ({ kloe: a.kloeRef, text: a.text })),
    })),
    evidence: report.evidence.map((e) => ({
      title: e.title,
      kind: e.kind,
      source: e.source,
      date: e.date ?? '',
      sha256: e.sha256 ?? '',
    })),
  };
}

export type TemplateData = ReturnType<typeof templateData>;

/** Data of the right shape with one item in every list: what an uploaded template is tried out with. */
export function sampleData(shape: FieldShape = TEMPLATE_ROOT, name = 'value'): unknown {
  if (shape === 'text') return `Sample ${name}`;
  if (shape === 'number') return 1;
  if (shape === 'yes/no') return true;
  if ('list' in shape) return [sampleData(shape.list, name)];
  return Object.fromEntries(Object.entries(shape.fields).map(([key, field]) => [key, sampleData(field, key)]));
}

/** Every field of the view as a dotted path, lists marked with [] (e.g. "kloes[].strengths[]"): for the docs check. */
export function fieldPaths(shape: FieldShape = TEMPLATE_ROOT, prefix = ''): string[] {
  if (typeof shape === 'string') return [prefix];
  if ('list' in shape) return fieldPaths(shape.list, `${prefix}[]`);
  return Object.entries(shape.fields).flatMap(([key, field]) => fieldPaths(field, prefix ? `${prefix}.${key}` : key));
}
