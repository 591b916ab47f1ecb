/**
 * The running header and footer of the PDF's pages, as chromium prints them in the page margins: the
 * inspectorate's logo and name, the organisation, service and date, "Draft" until published; and the page
 * number of the count. Chromium fills in the page numbers; the templates may only use inline styles and
 * data: pictures, which the printing page allows (report-pdf.ts), and the text is escaped.
 */
import type { ReportModel } from './report.model.js';

export interface PrintFrame {
  headerTemplate: string;
  footerTemplate: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Chromium prints the frame with no styles of its own (a zero font size): every size is given here. */
const BAR =
  'font-family: arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%; margin: 0 16mm; ' +
  'display: flex; justify-content: space-between; align-items: center; -webkit-print-color-adjust: exact;';

export function printFrame(report: ReportModel): PrintFrame {
  const { name, logo } = report.branding;
  const brand =
    (logo
      ? `<img src="${escapeHtml(logo.dataUri)}" alt="" style="height: 7mm; max-width: 40mm; margin-right: 2mm;">`
      : '') + (name ? `<span>${escapeHtml(name)}</span>` : '');
  const header = report.draft
    ? `${escapeHtml(report.runningHeader.replace(/ · Draft$/, ''))} · <strong style="color: #d4351c;">Draft</strong>`
    : escapeHtml(report.runningHeader);
  return {
    headerTemplate: `<div style="${BAR} border-bottom: 0.5pt solid #b1b4b6; padding-bottom: 1mm;"><span style="display: flex; align-items: center;">${brand}</span><span>${header}</span></div>`,
    footerTemplate: `<div style="${BAR}"><span>${escapeHtml(report.title)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}
