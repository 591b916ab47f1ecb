/**
 * The report as a Word document, the format inspectors edit: real heading styles (so the navigation
 * pane and the contents work and the text reflows), tables with header rows, bulleted and numbered
 * lists, a contents field whose page numbers Word fills in when it opens the document, a running header (the inspectorate, organisation,
 * service, date and "Draft" until published) and page numbers in the footer. Each chart is the same SVG as
 * in the pages, as a picture sized so that two share a page, with a PNG drawn from it for versions of
 * Word without SVG (chart-picture.ts), its text alternative as the picture's alt text and as a paragraph,
 * then its data table. Headings keep with the paragraph after them, so none is left alone on a page.
 */
import {
  AlignmentType,
  Footer,
  Bookmark,
  Document,
  Header,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import { chartPicture, type ChartPicture } from './chart-picture.js';
import type { DataTable, IndicatorChart } from './report-extensions.js';
import type { ReportModel } from './report.model.js';

/** Word bookmark names: a letter first, then letters, digits and underscores, at most 40. */
const bookmark = (anchor: string) => `b_${anchor.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 40);

/** Charts are this wide (of the 600 px across the page), so that two, with their words and tables, share a page. */
const CHART_WIDTH_PX = 420;

export const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel], anchor?: string) =>
  new Paragraph({
    heading: level,
    keepNext: true,
    keepLines: true,
    children: anchor ? [new Bookmark({ id: bookmark(anchor), children: [new TextRun(text)] })] : [new TextRun(text)],
  });

export const para = (text: string, options: { bold?: boolean; keepNext?: boolean } = {}) =>
  new Paragraph({
    keepNext: options.keepNext ?? false,
    children: [new TextRun({ text, bold: options.bold ?? false })],
  });

const bullets = (items: string[], empty = 'None recorded.') =>
  items.length ? items.map((text) => new Paragraph({ text, bullet: { level: 0 } })) : [para(empty)];

export function table(columns: string[], rows: string[][], firstColumnIsHeader = true): Table {
  const cell = (text: string, bold: boolean) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c) => cell(c, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((c, i) => cell(c, firstColumnIsHeader && i === 0)) })),
    ],
  });
}

const caption = (text: string) =>
  new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun({ text, bold: true })] });

const dataTable = (t: DataTable) => [caption(t.caption), table(t.columns, t.rows)];

const chartParagraph = (chart: IndicatorChart, picture: ChartPicture) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: true,
    children: [
      new ImageRun({
        type: 'svg',
        data: picture.svg,
        fallback: { type: 'png', data: picture.png },
        transformation: { width: picture.width, height: picture.height },
        altText: { name: chart.title, title: chart.title, description: chart.textAlternative },
      }),
    ],
  });

const logoRun = (logo: NonNullable<ReportModel['branding']['logo']>, height: number) =>
  new ImageRun({
    type: 'png',
    data: Buffer.from(logo.dataUri.slice(logo.dataUri.indexOf(',') + 1), 'base64'),
    transformation: { height, width: Math.round((height * logo.width) / logo.height) },
    altText: { name: 'Logo', title: 'Logo', description: 'Logo' },
  });

function titlePage(report: ReportModel): FileChild[] {
  const tp = report.titlePage;
  const { name, logo } = report.branding;
  return [
    ...(name || logo
      ? [
          new Paragraph({
            children: [
              ...(logo ? [logoRun(logo, 64), new TextRun('  ')] : []),
              ...(name ? [new TextRun({ text: name, bold: true, size: 28 })] : []),
            ],
          }),
        ]
      : []),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(report.title)] }),
    ...(report.draft ? [para('Draft: this report is not published and may change.', { bold: true })] : []),
    table(
      ['Detail', 'Value'],
      [
        ['Organisation', tp.organisation],
        ['Service', tp.service],
        ['Kind', tp.revision > 1 ? `${tp.kind}, revision ${tp.revision}` : tp.kind],
        ['Status', tp.status],
        ['Dates', tp.dates],
        ['Report date', tp.reportDate],
        ['Framework', tp.framework],
        ['Team', tp.team.map((m) => `${m.name} (${m.role.toLowerCase()})`).join(', ')],
        ...(tp.auditAnchor ? [['Audit trail anchor', tp.auditAnchor] as [string, string]] : []),
      ],
    ),
    ...(report.citation ? [para(`Cite as: ${report.citation.text}`)] : []),
  ];
}

/** `pictures` are the charts' pictures, in the order of `report.charts`. */
function body(report: ReportModel, pictures: ChartPicture[]): FileChild[] {
  const findingsTitle = new Bookmark({ id: bookmark('findings'), children: [new TextRun('Findings by KLOE')] });
  const out: FileChild[] = [
    ...titlePage(report),
    // A contents field, written dirty: Word fills in its page numbers when it opens the document (updateFields).
    // Its entries are written too, linked to the headings, for readers that never update fields.
    new TableOfContents('Contents', {
      hyperlink: true,
      headingStyleRange: '1-2',
      beginDirty: true,
      cachedEntries: report.contents.map((c) => ({ title: c.text, level: c.level, href: bookmark(c.anchor) })),
    }),
    ...(report.executiveSummary.length
      ? [
          heading('Executive summary', HeadingLevel.HEADING_1, 'executive-summary'),
          ...report.executiveSummary.map((p) => para(p)),
        ]
      : []),
    heading('Summary judgement', HeadingLevel.HEADING_1, 'summary'),
    para(report.summary.headline, { bold: true }),
    ...(report.summary.reasons.length ? [para('The reasons:'), ...bullets(report.summary.reasons)] : []),
    heading('Scorecard', HeadingLevel.HEADING_1, 'scorecard'),
    caption('Ratings by key question and KLOE'),
    table(
      ['Key question or KLOE', 'Rating'],
      [
        ...report.scorecard.flatMap((kq) => [
          [`Key question ${kq.ref}: ${kq.title}`, kq.rating.label],
          ...kq.kloes.map((k) => [`KLOE ${k.ref}: ${k.question}`, k.rating.label]),
        ]),
        ['Overall judgement', report.overall.rating.label],
      ],
    ),
    new Paragraph({
      pageBreakBefore: true,
      heading: HeadingLevel.HEADING_1,
      keepNext: true,
      children: [findingsTitle],
    }),
  ];
  for (const k of report.kloes) {
    const differs = k.suggested.id && k.suggested.id !== k.rating.id;
    out.push(
      heading(`KLOE ${k.ref}: ${k.question}`, HeadingLevel.HEADING_2, k.anchor),
      para(
        `Rating: ${k.rating.label}${differs ? ` (the findings suggested ${k.suggested.label.toLowerCase()})` : ''}. Statements judged: ${k.statementsJudged}.`,
        { bold: true, keepNext: true },
      ),
      ...(k.rationale ? [para(`Rationale: ${k.rationale}`)] : []),
      heading('Strengths', HeadingLevel.HEADING_3),
      ...bullets(k.strengths),
      heading('Areas for improvement', HeadingLevel.HEADING_3),
      ...bullets(k.areasForImprovement),
    );
    if (k.evidence.length) {
      out.push(
        heading('Evidence', HeadingLevel.HEADING_3),
        ...k.evidence.map(
          (e) =>
            new Paragraph({
              bullet: { level: 0 },
              children: [
                new InternalHyperlink({ anchor: bookmark(`evidence-${e.id}`), children: [new TextRun(e.title)] }),
                new TextRun(` (${e.relation}${e.statementRef ? `, statement ${e.statementRef}` : ''})`),
              ],
            }),
        ),
      );
    }
  }
  if (report.charts.length) {
    out.push(heading('Performance indicators', HeadingLevel.HEADING_1, 'indicators'));
    report.charts.forEach((c, i) => {
      out.push(
        heading(c.title, HeadingLevel.HEADING_2),
        chartParagraph(c, pictures[i]!),
        para(c.textAlternative),
        ...dataTable(c.table),
      );
    });
  }
  out.push(heading('Recommendations', HeadingLevel.HEADING_1, 'recommendations'));
  if (report.recommendations.length === 0) out.push(para('No recommendations have been recorded.'));
  for (const r of report.recommendations) {
    out.push(
      new Paragraph({
        numbering: { reference: 'recommendations', level: 0 },
        children: [new TextRun({ text: r.text, bold: true })],
      }),
      para(`Priority: ${r.priority}. Outcome: ${r.outcome}`),
      ...(r.kloeRefs.length ? [para(`KLOEs: ${r.kloeRefs.join(', ')}`)] : []),
      ...r.areas.map((a) => new Paragraph({ text: `Answers (KLOE ${a.kloeRef}): ${a.text}`, bullet: { level: 0 } })),
    );
  }
  if (report.evidence.length) {
    out.push(
      heading('Appendix: evidence', HeadingLevel.HEADING_1, 'evidence'),
      caption(`Evidence items (${report.evidence.length})`),
      table(
        ['Evidence', 'Kind', 'Source', 'Date', 'SHA-256'],
        report.evidence.map((e) => [e.title, e.kind, e.source, e.date ?? 'Undated', e.sha256 ?? 'No file']),
      ),
    );
  }
  return out;
}

/** Every page's header: the inspectorate's logo and name, the running header, and "DRAFT" until published. */
function runningHeader(report: ReportModel): Header {
  const { name, logo } = report.branding;
  const small = (text: string, options: { bold?: boolean; color?: string } = {}) =>
    new TextRun({ text, size: 16, color: options.color ?? '505A5F', bold: options.bold ?? false });
  return new Header({
    children: [
      ...(report.draft
        ? [
            new Paragraph({
              alignment: AlignmentType.CENTER,
              children: [new TextRun({ text: 'DRAFT: NOT PUBLISHED', bold: true, color: 'D4351C', size: 28 })],
            }),
          ]
        : []),
      new Paragraph({
        children: [
          ...(logo ? [logoRun(logo, 20), small(' ')] : []),
          ...(name ? [small(`${name} · `, { bold: true })] : []),
          small(report.runningHeader),
        ],
      }),
    ],
  });
}

const pageFooter = (report: ReportModel) =>
  new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({ text: `${report.title} · Page `, size: 16, color: '505A5F' }),
          new TextRun({ children: [PageNumber.CURRENT], size: 16, color: '505A5F' }),
          new TextRun({ text: ' of ', size: 16, color: '505A5F' }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 16, color: '505A5F' }),
        ],
      }),
    ],
  });

export async function renderDocx(report: ReportModel): Promise<Buffer> {
  const pictures = await Promise.all(report.charts.map((c) => chartPicture(c.svg, CHART_WIDTH_PX)));
  const doc = new Document({
    title: report.title,
    description: `${report.titlePage.kind} report: ${report.titlePage.organisation}, ${report.titlePage.service}`,
    creator: 'kloe',
    styles: { default: { document: { run: { font: 'Arial', size: 22, language: { value: report.lang } } } } },
    numbering: {
      config: [
        {
          reference: 'recommendations',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    // Word updates the contents' page numbers on opening. docx/layout could estimate them when the file is
    // made, but with a long evidence appendix that took minutes.
    features: { updateFields: true },
    sections: [
      {
        headers: { default: runningHeader(report) },
        footers: { default: pageFooter(report) },
        children: body(report, pictures),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
