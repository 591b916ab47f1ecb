/** The report as a standalone HTML document (the download, and what chromium prints to PDF). */
import type nunjucks from 'nunjucks';
import { REPORT_CSS } from './report.css.js';
import type { ReportModel } from './report.model.js';

export function renderReportDocument(env: nunjucks.Environment, report: ReportModel): string {
  return env.render('reports/views/report-document.njk', { report, css: REPORT_CSS });
}

/** The report as the report page shows it, inside kloe's layout (its title a level-2 heading). */
export function renderReportFragment(env: nunjucks.Environment, report: ReportModel): string {
  return env.render('reports/views/report-fragment.njk', { report });
}
