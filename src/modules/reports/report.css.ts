/**
 * The report's own stylesheet: served to the report page (the CSP allows no inline styles) and inlined
 * in the standalone HTML download and the PDF, which must look the same without kloe's other assets.
 */
export const REPORT_CSS = `
.kloe-report { font-family: "GDS Transport", arial, sans-serif; color: #0b0c0c; line-height: 1.4; }
.kloe-report--document { max-width: 48rem; margin: 0 auto; padding: 1.5rem; }
.kloe-report h1, .kloe-report h2, .kloe-report h3, .kloe-report h4 { line-height: 1.2; margin: 1.5em 0 0.5em; }
.kloe-report table { border-collapse: collapse; width: 100%; margin: 0 0 1.5em; font-size: 0.95em; }
.kloe-report caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
.kloe-report th, .kloe-report td { border-bottom: 1px solid #b1b4b6; padding: 0.4em 0.6em 0.4em 0; text-align: left; vertical-align: top; }
.kloe-report__draft-banner { border: 4px solid #d4351c; color: #d4351c; font-weight: bold; padding: 0.6em 1em; margin: 0 0 1.5em; }
.kloe-report__title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1.5em; }
.kloe-report__title-page dt { font-weight: bold; }
.kloe-report__title-page dd { margin: 0; }
.kloe-report__contents ol { padding-left: 1.5em; }
/* Contents links stay at least 24px tall, so they are easy to hit (WCAG 2.2 target size). */
.kloe-report__contents a { display: inline-block; min-height: 24px; line-height: 24px; margin: 2px 0; }
.kloe-report__headline { font-size: 1.3em; font-weight: bold; }
.kloe-report__chart svg { max-width: 100%; height: auto; }
.kloe-report__hash { font-family: monospace; font-size: 0.8em; word-break: break-all; }
.kloe-report__downloads { margin-bottom: 2em; }
.kloe-report--draft { position: relative; }
.kloe-report--draft::before {
  content: "DRAFT"; position: fixed; top: 40%; left: 0; right: 0; text-align: center;
  font-size: 8rem; font-weight: bold; color: rgba(212, 53, 28, 0.12); transform: rotate(-30deg);
  pointer-events: none; z-index: 0;
}
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  .govuk-header, .govuk-service-navigation, .govuk-footer, .govuk-breadcrumbs, .govuk-skip-link,
  .kloe-report__downloads, nav[aria-label="Assessment"] { display: none !important; }
  .kloe-report { font-size: 11pt; }
  .kloe-report__section { break-before: page; }
  .kloe-report__kloe, .kloe-report table tr, .kloe-report__chart { break-inside: avoid; }
  .kloe-report a { color: inherit; text-decoration: none; }
}
`;
