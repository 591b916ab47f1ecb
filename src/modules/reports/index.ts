/** The reports module's entry: what the rest of kloe may use of it. */
export { createExecutiveSummaryService } from './executive-summary.service.js';
export { heading, para, table } from './report-docx.js';
export type { EvidenceAppendixEntry, EvidenceRef, IndicatorChart, ReportSource } from './report-extensions.js';
export { DEFAULT_CHROMIUM, DEFAULT_PDF_QUEUE, createPdfPrinter } from './report-pdf.js';
export { registerReportTemplatesApi } from './report-templates.api.js';
export { registerReportTemplatePages } from './report-templates.pages.js';
export { createReportTemplatesService } from './report-templates.service.js';
export { paragraphs } from './report.model.js';
export { registerReportsApi, sendReportFile } from './reports.api.js';
export { registerReportPages } from './reports.pages.js';
export { PUBLIC_FORMATS, RENDERED_ON_PUBLISHING, createReportsService } from './reports.service.js';
export { RENDER_PUBLISHED_JOB, registerPublishedReportJob, renderWhenPublished } from './published-report-job.js';
export type { PublicFormat, ReportFormat, ReportsService } from './reports.service.js';
export { createTemplateRenderer } from './template-renderer.js';
