/**
 * Analysis snapshots in an assessment: the organisation's analysis frozen as it stood on a date, so
 * that a judgement never shifts when values are later corrected or added. Each snapshot is linked to
 * the statements of KLOEs 4.2, 4.3, 4.4 and 5.2.3 that speak of indicators, outcomes and costs, with
 * the figures that bear on each KLOE. (Joining snapshots to the evidence register is the evidence
 * module's part.)
 */
import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { UserActor } from '../accounts/actor.js';
import { allow, loadAssessment } from '../assessments/assessment-access.js';
import { pinnedFramework } from '../assessments/assessment-framework.js';
import { recordAudit } from '../audit/audit.recorder.js';
import { findKloe } from '../frameworks/framework.tree.js';
import type { Analysis } from './analysis.js';
import type { IndicatorsService } from './indicators.service.js';
import { indicatorSnapshots } from './indicators.tables.js';
import { kloeFigures, PERFORMANCE_KLOES } from './kloe-figures.js';

/** Statements that speak of what indicator figures can show. */
const BEARS_ON_FIGURES = /indicator|performance|value for money|cost|outcome|improv|compar/i;

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
    async attach(actor: UserActor, assessmentId: string) {
      const loaded = await loadAssessment(db, actor, assessmentId);
      allow(actor, 'judge', loaded);
      const analysis = await indicators.analysis(actor, loaded.assessment.organisationId);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(indicatorSnapshots)
          .values({ assessmentId, analysis, createdBy: actor.name })
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

    /** The assessment's snapshots, newest first, each with the statements it bears on. */
    async list(actor: UserActor, assessmentId: string) {
      const loaded = await loadAssessment(db, actor, assessmentId);
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
            analysis: row.analysis as Analysis,
            kloes: await linkedStatements(loaded.assessment.frameworkVersionId, row.analysis as Analysis),
          })),
        ),
      };
    },
  };
}

export type SnapshotsService = ReturnType<typeof createSnapshotsService>;
