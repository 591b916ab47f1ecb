/**
 * The starter template offered on the templates page: a plain Word document using every part of the
 * template data (template-data.ts), to copy and restyle in Word. Built with the `docx` package, so no
 * binary file is kept in the repository; each command sits in its own paragraph or table row, which
 * docx-templates removes from the result.
 */
import type { Paragraph as ParagraphType } from 'docx';

export async function starterTemplate(): Promise<Buffer> {
  const { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } =
    await import('docx');
  const p = (text: string, bold = false) => new Paragraph({ children: [new TextRun({ text, bold })] });
  const h = (text: string, heading: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
    new Paragraph({ heading, children: [new TextRun(text)] });
  const bullet = (text: string) => new Paragraph({ text, bullet: { level: 0 } });
  const cell = (text: string, bold = false) => new TableCell({ children: [p(text, bold)] });
  const row = (cells: string[], header = false) =>
    new TableRow({ tableHeader: header, children: cells.map((c) => cell(c, header)) });
  const loopTable = (columns: string[], open: string, cells: string[], close: string) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        row(columns, true),
        row([open, ...columns.slice(1).map(() => '')]),
        row(cells),
        row([close, ...columns.slice(1).map(() => '')]),
      ],
    });
  const lines = (texts: string[]): ParagraphType[] => texts.map((t) => p(t));

  const children = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('{{title}}')] }),
    ...lines(['{{IF draft}}']),
    p('Draft: this report is not published and may change.', true),
    ...lines([
      '{{END-IF}}',
      'Organisation: {{organisation.name}}',
      'Service: {{service.name}}',
      'Kind: {{assessment.kind}} (revision {{assessment.revision}}), {{assessment.status}}',
      'Dates: {{assessment.dates}}',
      'Report date: {{assessment.reportDate}}',
      'Framework: {{assessment.framework}}',
      'Team:',
      '{{FOR member IN team}}',
    ]),
    bullet('{{$member.name}} ({{$member.role}})'),
    p('{{END-FOR member}}'),
    h('Summary judgement', HeadingLevel.HEADING_1),
    p('{{summary.headline}}', true),
    p('{{FOR reason IN summary.reasons}}'),
    bullet('{{$reason}}'),
    p('{{END-FOR reason}}'),
    p('Overall rating: {{overall.rating}}'),
    h('Scorecard', HeadingLevel.HEADING_1),
    loopTable(
      ['KLOE', 'Question', 'Rating'],
      '{{FOR row IN kloes}}',
      ['{{$row.ref}}', '{{$row.question}}', '{{$row.rating}}'],
      '{{END-FOR row}}',
    ),
    h('Findings by KLOE', HeadingLevel.HEADING_1),
    p('{{FOR k IN kloes}}'),
    h('KLOE {{$k.ref}}: {{$k.question}}', HeadingLevel.HEADING_2),
    p(
      'Rating: {{$k.rating}} (suggested by the findings: {{$k.suggestedRating}}). Statements judged: {{$k.statementsJudged}}.',
      true,
    ),
    ...lines(['{{IF $k.rationale}}', 'Rationale: {{$k.rationale}}', '{{END-IF}}']),
    h('Strengths', HeadingLevel.HEADING_3),
    p('{{FOR s IN $k.strengths}}'),
    bullet('{{$s}}'),
    p('{{END-FOR s}}'),
    h('Areas for improvement', HeadingLevel.HEADING_3),
    p('{{FOR a IN $k.areasForImprovement}}'),
    bullet('{{$a}}'),
    p('{{END-FOR a}}'),
    p('{{IF $k.evidence.length}}'),
    h('Evidence', HeadingLevel.HEADING_3),
    p('{{FOR e IN $k.evidence}}'),
    bullet('{{$e.title}} ({{$e.relation}}) {{$e.statement}}'),
    ...lines(['{{END-FOR e}}', '{{END-IF}}', '{{END-FOR k}}']),
    p('{{IF indicators.length}}'),
    h('Performance indicators', HeadingLevel.HEADING_1),
    p('{{FOR chart IN indicators}}'),
    h('{{$chart.title}}', HeadingLevel.HEADING_2),
    ...lines(['{{$chart.description}}', '{{END-FOR chart}}', '{{END-IF}}']),
    h('Recommendations', HeadingLevel.HEADING_1),
    p('{{FOR r IN recommendations}}'),
    p('{{$r.number}}. {{$r.text}}', true),
    ...lines(['Priority: {{$r.priority}}. Outcome: {{$r.outcome}}', 'KLOEs: {{$r.kloes}}', '{{FOR area IN $r.areas}}']),
    bullet('Answers (KLOE {{$area.kloe}}): {{$area.text}}'),
    ...lines(['{{END-FOR area}}', '{{END-FOR r}}', '{{IF evidence.length}}']),
    h('Appendix: evidence', HeadingLevel.HEADING_1),
    loopTable(
      ['Evidence', 'Kind', 'Source', 'Date', 'SHA-256'],
      '{{FOR item IN evidence}}',
      ['{{$item.title}}', '{{$item.kind}}', '{{$item.source}}', '{{$item.date}}', '{{$item.sha256}}'],
      '{{END-FOR item}}',
    ),
    p('{{END-IF}}'),
  ];
  const doc = new Document({
    title: 'kloe starter report template',
    creator: 'kloe',
    styles: { default: { document: { run: { font: 'Arial', size: 22, language: { value: 'en-GB' } } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
