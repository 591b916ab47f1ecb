/**
 * What other modules add to a report (the evidence, the indicator charts), in one place so that the server
 * and `kloe report` make the same report: a published report is stored the first time either makes it.
 * The charts come from the assessment's latest analysis snapshot, whose figures never change: they are drawn
 * once per snapshot and choice of indicators, not on every report.
 */
import { desc, eq } from 'drizzle-orm';
import type { Database } from './db/database.js';
import { indicatorSnapshots } from './db/schema.js';
import { evidenceReportSource } from './modules/evidence/index.js';
import { indicatorsReportSource } from './modules/indicators/index.js';
import { memoisedSource, type ReportSource } from './modules/reports/index.js';

/** What the charts are drawn from: the latest snapshot and the indicators chosen on it. */
async function chartsKey(db: Database, assessmentId: string): Promise<string | undefined> {
  const [latest] = await db
    .select({ id: indicatorSnapshots.id, chosen: indicatorSnapshots.reportIndicators })
    .from(indicatorSnapshots)
    .where(eq(indicatorSnapshots.assessmentId, assessmentId))
    .orderBy(desc(indicatorSnapshots.asOf))
    .limit(1);
  return latest ? `${assessmentId}:${latest.id}:${latest.chosen.join(',')}` : undefined;
}

export const reportSources = (db: Database): ReportSource[] => [
  evidenceReportSource(db),
  memoisedSource(indicatorsReportSource(db), (id) => chartsKey(db, id)),
];
