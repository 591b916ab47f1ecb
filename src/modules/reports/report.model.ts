/**
 * The report of an assessment as data: everything the HTML, DOCX and PDF renderings show, in reading
 * order, worked out once so the three formats never disagree. Pure: built from what the services read.
 */
import type { FrameworkDocument } from '../frameworks/index.js';
import type { AssessmentRow } from '../assessments/index.js';
import { KIND_LABELS } from '../assessments/index.js';
import type { RecommendationRow } from '../assessments/index.js';
import { PRIORITY_LABELS } from '../assessments/index.js';
import type { KloeState, RollUpState } from '../assessments/index.js';
import { anchorText } from '../audit/index.js';
import type { ChainAnchor } from '../audit/index.js';
import type { EvidenceAppendixEntry, EvidenceRef, IndicatorChart, ReportExtensions } from './report-extensions.js';
import { plainDate } from '../../dates.js';

export interface ReportInput {
  assessment: AssessmentRow;
  organisationName: string;
  serviceName: string;
  frameworkVersion: number;
  team: { name: string; role: 'lead' | 'member' }[];
  doc: FrameworkDocument;
  kloes: KloeState[];
  keyQuestions: RollUpState[];
  overall: RollUpState;
  recommendations: RecommendationRow[];
  extensions: ReportExtensions;
  /** When a draft was generated; a published report is dated by its publication instead. */
  generatedAt: Date;
  /** The audit chain's head when a published report's file was made, printed so the trail can be checked against it. */
  auditAnchor?: ChainAnchor;
  /** The executive summary the lead wrote: paragraphs separated by blank lines. */
  executiveSummary?: string | null;
  /** The inspectorate's name and logo, on the title page and in every page's header. */
  branding?: ReportBranding;
  /** Where a published report can always be found again (its public page, or the report in kloe). */
  citationUrl?: string;
}

export interface ReportBranding {
  name: string | null;
  /** The logo as a PNG data: URI and its size in pixels, so every format carries it without fetching anything. */
  logo: { dataUri: string; width: number; height: number } | null;
}

export interface Rated {
  id: string | null;
  label: string;
}

export interface ReportKloe {
  ref: string;
  /** Anchor id in the HTML, stable across formats. */
  anchor: string;
  question: string;
  keyQuestionRef: string;
  rating: Rated;
  suggested: Rated;
  rationale: string | null;
  strengths: string[];
  areasForImprovement: string[];
  statementsJudged: string;
  evidence: EvidenceRef[];
}

export interface ContentsEntry {
  anchor: string;
  text: string;
  level: 1 | 2;
}

export interface ReportModel {
  lang: string;
  title: string;
  draft: boolean;
  titlePage: {
    organisation: string;
    service: string;
    kind: string;
    revision: number;
    status: string;
    dates: string;
    reportDate: string;
    framework: string;
    /** "ENTRY:HASH" (see docs/audit-trail.md); only in a published report's stored files. */
    auditAnchor?: string;
    team: { name: string; role: string }[];
  };
  /** The lead's executive summary, a paragraph each; empty when none was written. */
  executiveSummary: string[];
  branding: ReportBranding;
  /** Published reports only: how to cite them. */
  citation?: { url: string; date: string; revision: number; text: string };
  /** The running header of every page: organisation, service, date, and "Draft" until published. */
  runningHeader: string;
  summary: { headline: string; reasons: string[] };
  scale: { id: string; label: string }[];
  scorecard: {
    ref: string;
    title: string;
    rating: Rated;
    rationale: string | null;
    kloes: { ref: string; anchor: string; question: string; rating: Rated }[];
  }[];
  overall: { rating: Rated; rationale: string | null };
  kloes: ReportKloe[];
  charts: IndicatorChart[];
  recommendations: {
    number: number;
    text: string;
    priority: string;
    outcome: string;
    kloeRefs: string[];
    areas: { kloeRef: string; text: string }[];
  }[];
  evidence: EvidenceAppendixEntry[];
  contents: ContentsEntry[];
}

/** "Judgement 2: Prospects for Improvement" → "prospects for improvement"; undefined for other titles. */
function judgementSubject(frameworkTitle: string): string | undefined {
  return /Judgement\s+\d+:\s*(.+)$/i.exec(frameworkTitle)?.[1]?.trim().toLowerCase();
}

/** The summary judgement in plain words, e.g. "The service has promising prospects for improvement." */
export function headline(doc: FrameworkDocument, rating: Rated): string {
  if (!rating.id) return 'The overall judgement has not been made yet.';
  const subject = judgementSubject(doc.title);
  return subject
    ? `The service has ${rating.label.toLowerCase()} ${subject}.`
    : `The service is rated ${rating.label.toLowerCase()} overall.`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why: the key questions' ratings with their rationales, then how the KLOEs were rated. */
function reasons(input: ReportInput, rated: (id: string | null | undefined) => Rated): string[] {
  const lines: string[] = [];
  if (input.overall.judgement.rationale) lines.push(input.overall.judgement.rationale);
  for (const kq of input.keyQuestions) {
    const r = rated(kq.judgement.finalRating);
    const because = kq.judgement.rationale ? `: ${kq.judgement.rationale}` : '.';
    lines.push(
      r.id
        ? `Key question ${kq.nodeRef} (${kq.title}) is rated ${r.label.toLowerCase()}${because}`
        : `Key question ${kq.nodeRef} (${kq.title}) has no rating yet.`,
    );
  }
  const byLevel = input.doc.ratingScale
    .map((level) => ({ level, n: input.kloes.filter((k) => k.judgement.finalRating === level.id).length }))
    .filter((x) => x.n > 0)
    .map((x) => `${x.n} ${x.level.label.toLowerCase()}`);
  const unrated = input.kloes.filter((k) => !k.judgement.finalRating).length;
  if (input.kloes.length > 0) {
    lines.push(
      `Of ${plural(input.kloes.length, 'KLOE', 'KLOEs')} judged, ${byLevel.length ? byLevel.join(', ') : 'none is rated yet'}${unrated && byLevel.length ? `; ${unrated} not yet rated` : ''}.`,
    );
  }
  return lines;
}

/** Text typed in a box as paragraphs: split on blank lines, lines within one joined. */
export function paragraphs(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { assessment, doc, extensions } = input;
  const labels = new Map(doc.ratingScale.map((level) => [level.id, level.label]));
  const rated = (id: string | null | undefined): Rated =>
    id ? { id, label: labels.get(id) ?? id } : { id: null, label: 'Not rated' };
  const anchor = (ref: string) => `kloe-${ref.replaceAll('.', '-')}`;
  const published = assessment.status === 'published';

  const kloes: ReportKloe[] = input.kloes.map((k) => ({
    ref: k.leaf.kloe.ref,
    anchor: anchor(k.leaf.kloe.ref),
    question: k.leaf.kloe.question,
    keyQuestionRef: k.leaf.keyQuestion.ref,
    rating: rated(k.judgement.finalRating),
    suggested: rated(k.suggestion.rating),
    rationale: k.judgement.rationale,
    strengths: k.judgement.strengths,
    areasForImprovement: k.judgement.areasForImprovement,
    statementsJudged: `${k.judged} of ${k.total}`,
    evidence: extensions.evidenceRefs[k.leaf.kloe.ref] ?? [],
  }));
  const overallRating = rated(input.overall.judgement.finalRating);

  const executiveSummary = paragraphs(input.executiveSummary);
  const contents: ContentsEntry[] = [
    ...(executiveSummary.length ? [{ anchor: 'executive-summary', text: 'Executive summary', level: 1 as const }] : []),
    { anchor: 'summary', text: 'Summary judgement', level: 1 },
    { anchor: 'scorecard', text: 'Scorecard', level: 1 },
    { anchor: 'findings', text: 'Findings by KLOE', level: 1 },
    ...kloes.map((k) => ({ anchor: k.anchor, text: `KLOE ${k.ref}: ${k.question}`, level: 2 as const })),
    ...(extensions.charts.length ? [{ anchor: 'indicators', text: 'Performance indicators', level: 1 as const }] : []),
    { anchor: 'recommendations', text: 'Recommendations', level: 1 },
    ...(extensions.evidence.length ? [{ anchor: 'evidence', text: 'Appendix: evidence', level: 1 as const }] : []),
  ];

  const reportDate = plainDate(published && assessment.publishedAt ? assessment.publishedAt : input.generatedAt);
  const citation =
    published && input.citationUrl
      ? {
          url: input.citationUrl,
          date: reportDate,
          revision: assessment.revision,
          text: `${input.branding?.name ? `${input.branding.name}. ` : ''}${input.organisationName}: ${input.serviceName}. ${assessment.title}, revision ${assessment.revision}, published ${reportDate}. ${input.citationUrl}`,
        }
      : undefined;
  return {
    lang: 'en-GB',
    title: assessment.title,
    draft: !published,
    executiveSummary,
    branding: input.branding ?? { name: null, logo: null },
    ...(citation ? { citation } : {}),
    runningHeader: [input.organisationName, input.serviceName, reportDate, ...(published ? [] : ['Draft'])].join(' · '),
    titlePage: {
      organisation: input.organisationName,
      service: input.serviceName,
      kind: KIND_LABELS[assessment.kind],
      revision: assessment.revision,
      status: published ? 'Published' : 'Draft',
      dates:
        assessment.plannedStart && assessment.plannedEnd
          ? `${plainDate(assessment.plannedStart)} to ${plainDate(assessment.plannedEnd)}`
          : assessment.plannedStart
            ? `From ${plainDate(assessment.plannedStart)}`
            : 'Not set',
      reportDate,
      framework: `${doc.title}, version ${input.frameworkVersion}`,
      ...(input.auditAnchor ? { auditAnchor: anchorText(input.auditAnchor) } : {}),
      team: input.team.map((m) => ({ name: m.name, role: m.role === 'lead' ? 'Lead' : 'Team member' })),
    },
    summary: { headline: headline(doc, overallRating), reasons: reasons(input, rated) },
    scale: doc.ratingScale.map(({ id, label }) => ({ id, label })),
    scorecard: input.keyQuestions.map((kq) => ({
      ref: kq.nodeRef,
      title: kq.title,
      rating: rated(kq.judgement.finalRating),
      rationale: kq.judgement.rationale,
      kloes: kloes
        .filter((k) => k.keyQuestionRef === kq.nodeRef)
        .map(({ ref, anchor, question, rating }) => ({ ref, anchor, question, rating })),
    })),
    overall: { rating: overallRating, rationale: input.overall.judgement.rationale },
    kloes,
    charts: extensions.charts,
    recommendations: input.recommendations.map((r, i) => ({
      number: i + 1,
      text: r.text,
      priority: PRIORITY_LABELS[r.priority],
      outcome: r.outcome,
      kloeRefs: r.kloeRefs,
      areas: r.areas,
    })),
    evidence: extensions.evidence,
    contents,
  };
}
