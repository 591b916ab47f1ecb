/**
 * The report's own stylesheet: served to the report page (the CSP allows no inline styles) and inlined
 * in the standalone HTML download and the PDF, which must look the same without kloe's other assets.
 */

/**
 * "DRAFT" across the report, as a picture (a data: URI, which the pages' image policy allows) behind its
 * text. The letters are drawn as lines, not text, so that they never come out of the PDF as words.
 */
const LETTERS = [
  'M0 0H30Q60 0 60 50Q60 100 30 100H0Z', // D
  'M80 100V0H115Q140 0 140 27Q140 55 115 55H80M110 55L140 100', // R
  'M160 100L190 0L220 100M172 62H208', // A
  'M300 0H240V100M240 50H285', // F
  'M320 0H380M350 0V100', // T
];
const DRAFT_MARK = encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="520" height="420"><g transform="translate(90 290) rotate(-30)" ' +
    `fill="none" stroke="#d4351c" stroke-opacity="0.1" stroke-width="12" stroke-linejoin="round"><path d="${LETTERS.join('')}"/></g></svg>`,
);

export const REPORT_CSS = `
.kloe-report { font-family: "GDS Transport", arial, sans-serif; color: #0b0c0c; line-height: 1.4; }
.kloe-report--document { max-width: 48rem; margin: 0 auto; padding: 1.5rem; }
.kloe-report h1, .kloe-report h2, .kloe-report h3, .kloe-report h4 { line-height: 1.2; margin: 1.5em 0 0.5em; }
.kloe-report table { border-collapse: collapse; width: 100%; margin: 0 0 1.5em; font-size: 0.95em; }
.kloe-report caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
.kloe-report th, .kloe-report td { border-bottom: 1px solid #b1b4b6; padding: 0.4em 0.6em 0.4em 0; text-align: left; vertical-align: top; }
.kloe-report__draft-banner { border: 4px solid #d4351c; color: #d4351c; font-weight: bold; padding: 0.6em 1em; margin: 0 0 1.5em; }
.kloe-report__brand { display: flex; align-items: center; gap: 1em; margin: 0 0 1em; font-weight: bold; font-size: 1.2em; }
.kloe-report__brand img { max-height: 64px; max-width: 240px; }
.kloe-report__title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1.5em; }
.kloe-report__title-page dt { font-weight: bold; }
.kloe-report__title-page dd { margin: 0; }
.kloe-report__contents ol { padding-left: 1.5em; }
/* Contents links stay at least 24px tall, so they are easy to hit (WCAG 2.2 target size). */
.kloe-report__contents a { display: inline-block; min-height: 24px; line-height: 24px; margin: 2px 0; }
.kloe-report__contents-kloes { columns: 3; }
.kloe-report__headline { font-size: 1.3em; font-weight: bold; }
.kloe-report__chart svg { max-width: 100%; height: auto; }
.kloe-report__hash { font-family: monospace; font-size: 0.8em; word-break: break-all; }
.kloe-report__downloads { margin-bottom: 2em; }
.kloe-report__citation { font-size: 0.9em; }
/* The watermark is the report's own background: it never covers kloe's tabs and links around the report. */
.kloe-report--draft { background-image: url("data:image/svg+xml,${DRAFT_MARK}"); background-repeat: repeat-y; background-position: center top; }
@media print {
  @page { size: A4; margin: 20mm 16mm 18mm; }
  .govuk-header, .govuk-service-navigation, .govuk-footer, .govuk-breadcrumbs, .govuk-skip-link,
  .kloe-report__downloads, .kloe-report__no-print, nav[aria-label="Assessment"] { display: none !important; }
  .kloe-report { font-size: 10.5pt; }
  .kloe-report--document { padding: 0; max-width: none; }
  .kloe-report h1, .kloe-report h2 { margin-top: 1em; }
  .kloe-report h3, .kloe-report h4 { margin-top: 1em; }
  /* The title page and contents make the first page; the findings and the appendix start pages of their own. */
  .kloe-report__front { break-after: page; }
  .kloe-report__section--new-page { break-before: page; }
  /* No heading alone at the foot of a page: it keeps to what follows it. */
  .kloe-report h1, .kloe-report h2, .kloe-report h3, .kloe-report h4, .kloe-report caption,
  .kloe-report__keep-with-next { break-after: avoid; }
  .kloe-report__keep, .kloe-report table tr, .kloe-report__chart { break-inside: avoid; }
  /* Charts sized so that two share a page, their tables beside their words. */
  .kloe-report__chart svg { width: 72%; display: block; margin: 0 auto; }
  .kloe-report__chart table { font-size: 0.9em; margin-bottom: 0.5em; }
  .kloe-report__chart h3, .kloe-report__chart h4 { margin-top: 0.6em; }
  .kloe-report__chart figcaption { margin: 0.3em 0; font-size: 0.95em; }
  .kloe-report a { color: inherit; text-decoration: none; }
}
`;
