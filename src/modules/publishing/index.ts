/**
 * Around publishing: the factual accuracy check of an inspection's draft report with the organisation, and
 * published inspections made public (pages without sign-in, the report to download, open data).
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import type { Notify } from '../notifications/index.js';
import { registerAccuracyApi } from './accuracy.api.js';
import { registerAccuracyPages } from './accuracy.pages.js';
import { createAccuracyService } from './accuracy.service.js';
import type { ReportsService } from '../reports/index.js';
import { registerPublicReportsApi } from './public-reports.api.js';
import { registerPublicReportPages } from './public-reports.pages.js';
import { createPublicReportsService } from './public-reports.service.js';

export { accuracyPublishCheck } from './accuracy.service.js';
export { accuracyChecks, accuracyComments, publicReports } from './publishing.tables.js';

/** Registers the routes; returns the services. */
export function registerPublishing(
  app: FastifyInstance,
  deps: {
    db: Database;
    notify?: Notify;
    reports: Pick<ReportsService, 'publicFile' | 'publicAnchor'>;
    baseUrl: string;
  },
) {
  const accuracy = createAccuracyService({ db: deps.db, notify: deps.notify });
  registerAccuracyApi(app, { accuracy });
  registerAccuracyPages(app, { accuracy });
  const publicReports = createPublicReportsService({ db: deps.db, reports: deps.reports, baseUrl: deps.baseUrl });
  registerPublicReportsApi(app, { publicReports });
  registerPublicReportPages(app, { publicReports });
  return { accuracy, publicReports };
}
