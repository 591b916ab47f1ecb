/**
 * What other modules add to a report (the evidence, the indicator charts), in one place so that the server
 * and `kloe report` make the same report: a published report is stored the first time either makes it.
 */
import type { Database } from './db/database.js';
import { evidenceReportSource } from './modules/evidence/index.js';
import { indicatorsReportSource } from './modules/indicators/index.js';
import type { ReportSource } from './modules/reports/index.js';

export const reportSources = (db: Database): ReportSource[] => [evidenceReportSource(db), indicatorsReportSource(db)];
