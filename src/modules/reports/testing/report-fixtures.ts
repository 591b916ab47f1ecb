/**
 * For tests and the benchmark: an assessment with every KLOE judged and rated, strengths, areas for
 * improvement and recommendations, ready to publish; and a report source standing in for the evidence
 * and indicators modules, with as many synthetic evidence items and charts as asked for.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../../db/database.js';
import type { UserActor } from '../../accounts/actor.js';
import { statementsOf } from '../../assessments/assessment-framework.js';
import { createAssessmentsService } from '../../assessments/assessments.service.js';
import type { FindingOutcome } from '../../assessments/assessments.tables.js';
import { createRecommendationsService } from '../../assessments/recommendations.service.js';
import { createWorkspaceService } from '../../assessments/workspace.service.js';
import { createOrganisationsService } from '../../organisations/organisations.service.js';
import { createTestOrganisation } from '../../organisations/testing/test-organisations.js';
import type { IndicatorChart, ReportExtensions, ReportSource } from '../report-extensions.js';

const OUTCOMES: FindingOutcome[] = ['met', 'met', 'partly_met', 'met', 'not_met'];

/** An inspection of a new organisation's service with all 15 KLOEs judged and rated, in moderation. */
export async function createJudgedAssessment(db: Database, lead: UserActor, title = 'Housing repairs inspection') {
  const system = { kind: 'system', label: 'test' } as const;
  const organisation = await createTestOrganisation(db, { name: 'Ashcombe Report Council' });
  const service = await createOrganisationsService({ db }).createService(system, organisation.id, {
    name: 'Housing repairs',
    description: null,
  });
  const lifecycle = createAssessmentsService({ db });
  const workspace = createWorkspaceService({ db });
  const created = await lifecycle.create(lead, {
    organisationId: service.organisationId,
    serviceId: service.id,
    kind: 'inspection',
    title,
    frameworkId: 'audit-commission-j2',
    plannedStart: '2026-10-05',
    plannedEnd: '2026-11-27',
  });
  const fieldwork = await lifecycle.moveStatus(lead, created.id, { version: created.version, status: 'fieldwork' });
  const overview = await workspace.overview(lead, created.id);
  for (const k of overview.kloes) {
    const ref = k.leaf.kloe.ref;
    const saved = await workspace.saveKloe(lead, created.id, ref, {
      version: k.judgement.version,
      findings: statementsOf(k.leaf).map((s, i) => ({
        statementRef: s.ref,
        outcome: OUTCOMES[i % OUTCOMES.length]!,
        note: i === 0 ? `Seen in the evidence for ${ref}` : null,
      })),
      strengths: [`Strength of KLOE ${ref}: clear plans`],
      areasForImprovement: [`Area of KLOE ${ref}: compare costs with similar landlords`],
    });
    await workspace.saveKloe(lead, created.id, ref, {
      version: saved.judgement.version,
      finalRating: 'promising',
      rationale: saved.suggestion.rating === 'promising' ? null : `Rationale of KLOE ${ref}: judged on balance`,
    });
  }
  const rated = await workspace.overview(lead, created.id);
  for (const node of [...rated.keyQuestions, rated.overall]) {
    await workspace.saveRollUp(lead, created.id, node.nodeRef, {
      version: node.judgement.version,
      finalRating: 'promising',
      rationale: node.suggestion.rating === 'promising' ? null : 'Judged on balance',
    });
  }
  const recommendations = createRecommendationsService({ db });
  await recommendations.create(lead, created.id, {
    text: 'Benchmark repair costs against similar landlords every year',
    priority: 'high',
    outcome: 'Repair costs in the top quartile by 2028',
    kloeRefs: ['5.2.1'],
    areas: [{ kloeRef: '4.1', text: 'Area of KLOE 4.1: compare costs with similar landlords' }],
  });
  await recommendations.create(lead, created.id, {
    text: 'Publish repair times to tenants monthly',
    priority: 'medium',
    outcome: 'Tenants can see how long repairs take',
    kloeRefs: ['6.2'],
    areas: [],
  });
  const moderation = await lifecycle.moveStatus(lead, created.id, { version: fieldwork.version, status: 'moderation' });
  return { id: created.id, version: moderation.version, organisationId: organisation.id };
}

/** A small bar chart as an SVG, the way the indicators module draws them server-side. */
function chart(i: number): IndicatorChart {
  const values = [60 + (i % 7), 64 + (i % 5), 70 + (i % 3)];
  const bars = values
    .map((v, j) => `<rect x="${20 + j * 60}" y="${120 - v}" width="40" height="${v}" fill="#1d70b8"/>`)
    .join('');
  return {
    id: `c${i}`,
    title: `Indicator BV${200 + i}: repairs completed on time`,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 130" width="400" height="260" aria-hidden="true">${bars}</svg>`,
    textAlternative: `Bar chart: repairs completed on time rose from ${values[0]}% in 2023/24 to ${values[2]}% in 2025/26.`,
    table: {
      caption: `Indicator BV${200 + i} by year`,
      columns: ['Year', 'Repairs on time (%)'],
      rows: [
        ['2023/24', String(values[0])],
        ['2024/25', String(values[1])],
        ['2025/26', String(values[2])],
      ],
    },
  };
}

const KINDS = ['document', 'interview', 'focus group', 'site visit', 'survey', 'performance data'];

/** Evidence and charts as the evidence and indicators modules will give them. */
export function fixtureExtensions(
  kloeRefs: readonly string[],
  counts: { evidence: number; charts: number },
): ReportExtensions {
  const evidence = Array.from({ length: counts.evidence }, (_, i) => ({
    id: `e${i + 1}`,
    title: `Evidence item ${i + 1}: ${KINDS[i % KINDS.length]} record`,
    kind: KINDS[i % KINDS.length]!,
    source: i % 2 ? 'Head of housing' : 'repairs-plan-2025.pdf',
    date: `2026-0${1 + (i % 9)}-1${i % 10}`,
    sha256: i % 5 === 4 ? null : createHash('sha256').update(`evidence ${i}`).digest('hex'),
  }));
  const evidenceRefs: ReportExtensions['evidenceRefs'] = {};
  evidence.forEach((e, i) => {
    const ref = kloeRefs[i % kloeRefs.length]!;
    (evidenceRefs[ref] ??= []).push({ id: e.id, title: e.title, relation: i % 7 === 6 ? 'contradicts' : 'supports' });
  });
  return { evidence, evidenceRefs, charts: Array.from({ length: counts.charts }, (_, i) => chart(i + 1)) };
}

export const fixtureSource = (extensions: ReportExtensions): ReportSource => ({ load: async () => extensions });
