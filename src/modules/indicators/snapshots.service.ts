/**
 * Analysis snapshots in an assessment: the organisation's analysis frozen as it stood on a date, so
 * that a judgement never shifts when values are later corrected or added. Each snapshot is linked to
 * the statements of KLOEs 4.2, 4.3, 4.4 and 5.2.3 that speak of indicators, outcomes and costs, with
 * the figures that bear on each KLOE. (Joining snapshots to the evidence register is the evidence
 * module's part.)
 */
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { badRequest } from '../../errors.js';
import type { UserActor } from '../accounts/index.js';
import { allow, resolveAssessment, type AssessmentRef } from '../assessments/index.js';
import { pinnedFramework } from '../assessments/index.js';
import { recordAudit } from '../audit/index.js';
import { findKloe } from '../frameworks/index.js';
import type { Analysis, IndicatorAnalysis } from './analysis.types.js';
import { indicatorSparkline } from './charts.js';
import { formatFigure } from './figure-format.js';
import type { IndicatorsService } from './indicators.service.js';
import { indicatorSnapshots } from './indicators.tables.js';
import { kloeFigures, PERFORMANCE_KLOES } from './kloe-figures.js';

/**
 * The indicators a KLOE's figures are drawn from: outcomes for 4.2 (improved outcomes), all for 4.3 (direction
 * of travel of key indicators), costs for 4.4 and 5.2.3 (value for money over time, costs against others).
 */
const INDICATORS_OF: Record<(typeof PERFORMANCE_KLOES)[number], (i: IndicatorAnalysis) => boolean> = {
  '4.2': (i) => i.category === 'performance' || i.category === 'satisfaction',
  '4.3': (i) => i.category !== 'context',
  '4.4': (i) => i.category === 'cost',
  '5.2.3': (i) => i.category === 'cost',
};

const isPerformanceKloe = (ref: string): ref is (typeof PERFORMANCE_KLOES)[number] =>
  (PERFORMANCE_KLOES as readonly string[]).includes(ref);

/** Statements that speak of what indicator figures can show. */
const BEARS_ON_FIGURES = /indicator|performance|value for money|cost|outcome|improv|compar/i;

async function latestOf(db: Database, assessmentId: string) {
  const [row] = await db
    .select()
    .from(indicatorSnapshots)
    .where(eq(indicatorSnapshots.assessmentId, assessmentId))
    .orderBy(desc(indicatorSnapshots.asOf))
    .limit(1);
  return row;
}

export function createSnapshotsService(deps: { db: Database; indicators: IndicatorsService }) {
  const { db, indicators } = deps;

  async function linkedStatements(frameworkVersionId: number, analysis: Analysis) {
    const framework = await pinnedFramework(db, frameworkVersionId);
    const figures = kloeFigures(analysis);
    return PERFORMANCE_KLOES.map((ref) => {
      const leaf = findKloe(framework, ref);
      const statements = (leaf?.kloe.descriptors ?? []).flatMap((d) =>
        d.statements.filter((s) => BEARS_ON_FIGURES.test(s.text)).map((s) => ({ ref: s.ref, text: s.text })),
      );
      return { ref, question: leaf?.kloe.question ?? '', statements, figures: figures[ref] };
    });
  }

  return {
    async attach(actor: UserActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const assessmentId = loaded.assessment.id;
      allow(actor, 'judge', loaded);
      const analysis = await indicators.analysis(actor, loaded.assessment.organisationId);
      return db.transaction(async (tx) => {
        // The team's choice of indicators for the report carries over to the newer snapshot.
        const previous = await latestOf(tx, assessmentId);
        const codes = new Set(analysis.indicators.map((i) => i.code));
        const reportIndicators = (previous?.reportIndicators ?? []).filter((code) => codes.has(code));
        const [row] = await tx
          .insert(indicatorSnapshots)
          .values({ assessmentId, analysis, createdBy: actor.name, reportIndicators })
          .returning({ id: indicatorSnapshots.id, asOf: indicatorSnapshots.asOf });
        await recordAudit(tx, {
          actor,
          action: 'assessment.indicator_snapshot_attached',
          entityType: 'assessment',
          entityId: assessmentId,
          after: { snapshotId: row!.id, asOf: row!.asOf, organisation: analysis.organisation.code },
        });
        return row!;
      });
    },

    /**
     * What the KLOE workspace of 4.2, 4.3, 4.4 or 5.2.3 shows beside its statements, from the assessment's
     * latest snapshot: the figures in words, the statements they bear on, and per indicator its direction
     * of travel, its quartile among all providers and within the group in the latest period, and a small
     * chart. Undefined for other KLOEs; `snapshot` undefined when none has been attached yet.
     */
    async forKloe(actor: UserActor, assessmentRef: AssessmentRef, ref: string) {
      if (!isPerformanceKloe(ref)) return undefined;
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const row = await latestOf(db, loaded.assessment.id);
      if (!row) return { ref, snapshot: undefined };
      const analysis = row.analysis as Analysis;
      const linked = (await linkedStatements(loaded.assessment.frameworkVersionId, analysis)).find(
        (k) => k.ref === ref,
      )!;
      const indicators = analysis.indicators.filter(INDICATORS_OF[ref]).map((i) => {
        const latest = i.periods.findLast((p) => p.value !== null);
        return {
          code: i.code,
          title: i.title,
          unit: i.unit,
          direction: i.direction,
          latest: latest ? `${formatFigure(latest.value, i.unit)} in ${latest.label}` : 'no value',
          national: latest?.national?.quartile ?? null,
          group: latest?.group?.quartile ?? null,
          // Only this KLOE's indicators are drawn: the workspace is a page people save again and again.
          sparkline: indicatorSparkline(i),
        };
      });
      return {
        ref,
        snapshot: { asOf: row.asOf, group: analysis.group.name, window: analysis.window },
        figures: linked.figures,
        statements: linked.statements,
        indicators,
      };
    },

    /**
     * Chooses the indicators the report charts, from the latest snapshot's (audited). The report always
     * carries the figures in words and the value-for-money chart; each chosen indicator adds its chart.
     */
    async chooseForReport(actor: UserActor, assessmentRef: AssessmentRef, codes: readonly string[]) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const assessmentId = loaded.assessment.id;
      allow(actor, 'judge', loaded);
      return db.transaction(async (tx) => {
        const latest = await latestOf(tx, assessmentId);
        if (!latest)
          throw badRequest('no_indicator_snapshot', 'Attach the organisation’s analysis before choosing indicators', [
            { field: 'indicators', message: 'No analysis has been attached to this assessment yet' },
          ]);
        const known = (latest.analysis as Analysis).indicators.map((i) => i.code);
        const unknown = codes.filter((code) => !known.includes(code));
        if (unknown.length > 0)
          throw badRequest('unknown_indicator', 'Choose indicators of the attached analysis', [
            { field: 'indicators', message: `Not in the attached analysis: ${unknown.slice(0, 5).join(', ')}` },
          ]);
        // In the analysis' order, each once.
        const chosen = known.filter((code) => codes.includes(code));
        await tx
          .update(indicatorSnapshots)
          .set({ reportIndicators: chosen })
          .where(eq(indicatorSnapshots.id, latest.id));
        await recordAudit(tx, {
          actor,
          action: 'assessment.report_indicators_chosen',
          entityType: 'assessment',
          entityId: assessmentId,
          before: { indicators: latest.reportIndicators },
          after: { indicators: chosen },
        });
        return chosen;
      });
    },

    /** The assessment's snapshots, newest first, each with the statements it bears on. */
    async list(actor: UserActor, assessmentRef: AssessmentRef) {
      const loaded = await resolveAssessment(db, actor, assessmentRef);
      const assessmentId = loaded.assessment.id;
      const rows = await db
        .select()
        .from(indicatorSnapshots)
        .where(eq(indicatorSnapshots.assessmentId, assessmentId))
        .orderBy(desc(indicatorSnapshots.asOf));
      return {
        assessment: loaded.assessment,
        snapshots: await Promise.all(
          rows.map(async (row) => ({
            id: row.id,
            asOf: row.asOf,
            createdBy: row.createdBy,
            reportIndicators: row.reportIndicators,
            analysis: row.analysis as Analysis,
            kloes: await linkedStatements(loaded.assessment.frameworkVersionId, row.analysis as Analysis),
          })),
        ),
      };
    },
  };
}

export type SnapshotsService = ReturnType<typeof createSnapshotsService>;
