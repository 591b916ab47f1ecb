import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameworkDocumentSchema, type FrameworkDocument, type Statement } from './framework.model.js';
import { checkFrameworkIntegrity, countFramework, findKloe, leafKloes } from './framework.tree.js';
import { parseSeedDocument, SeedImportError } from './seed-parser.js';
import { SEED_HTML, SEED_PLAIN } from './testing/seed-files.js';

const seed000 = fs.readFileSync(SEED_PLAIN, 'utf8');
const seed004 = fs.readFileSync(SEED_HTML, 'utf8');
const builtinText = fs.readFileSync(new URL('../../../frameworks/audit-commission-j2.json', import.meta.url), 'utf8');

const HEADER =
  'KEY LINE OF ENQUIRY (KLOE)\tAN ORGANISATION WITH PROMISING PROSPECTS FOR IMPROVEMENT\tAN ORGANISATION WITH UNCERTAIN PROSPECTS FOR IMPROVEMENT';
const LEAD_IN = 'The service/organisation:';

/** A seed document: key question 4 on line 1, the header row on line 3, then the rows from line 4. */
function seed(...rows: string[]): string {
  return ['Key Question 4 - What is the service track record in delivering improvement?', '', HEADER, ...rows].join(
    '\n',
  );
}
const ul = (...items: string[]) =>
  `<ul style="list-style-type: none"> ${items.map((i) => `<li>${i}</li>`).join(' ')} </ul>`;
const html = (...items: string[]) => `<p>${LEAD_IN}</p> ${ul(...items)}`;
const row = (...cells: string[]) => cells.join('\t');
/** A page break: the title and header row repeated, as in the seeds. */
const pageBreak = ['', '## Service Inspection Key Lines of Enquiry -', '', HEADER];

function statements(doc: FrameworkDocument, kloeRef: string, level: string): Statement[] {
  const kloe = findKloe(doc, kloeRef)?.kloe;
  return kloe?.descriptors.find((d) => d.level === level)?.statements ?? [];
}
const texts = (doc: FrameworkDocument, kloeRef: string, level: string) =>
  statements(doc, kloeRef, level).map((s) => s.text);
const statementText = (doc: FrameworkDocument, ref: string) =>
  leafKloes(doc)
    .flatMap(({ kloe }) => kloe.descriptors.flatMap((d) => d.statements))
    .find((s) => s.ref === ref)?.text;
const allStatements = (doc: FrameworkDocument) =>
  leafKloes(doc).flatMap(({ kloe }) => kloe.descriptors.flatMap((d) => d.statements));

/** The statements cut by a page break in the seeds, as they read once stitched back together. */
const STITCHED: Record<string, string> = {
  '4.3-U1':
    'has delivered variable quality of improvement as reflected in national and local indicators which show that, while some elements of the service may be performing above minimum standards, others are performing below this level. It cannot point to a sustained trend of improvement in key performance indicators over the last three years. User satisfaction is mixed and service users and communities may have limited awareness of any improvement in services.',
  '5.1.2-U1':
    'has included within its aims, service and national priorities and preparation for forthcoming legislation and other initiatives. It has not looked more broadly at the contribution the service can make corporately or how related national and regional priorities and legislation may impact.',
  '5.2.1-U3':
    'has not maximised opportunities to set an example within the community to ensure fair access to services, to work towards eliminating discrimination and to promote sustainable communities. It has only taken minimum action so far to ensure it can recruit and retain councillors and/or board members, a management team, staff or contractors who are representative of the gender, race and age profile of their users and the broader community they serve.',
  '5.2.2-U5':
    'may have been unable to develop service/business/improvement plans and performance targets which fully reflect service priorities as these may be unclear. Its plans set out some of the practical tasks necessary to deliver its aims and objectives for the service. For other tasks, it is unclear how these relate to its aims and priorities and the plans may not set out a comprehensive framework for the delivery of user focused achievements in the longer term.',
  '5.2.4-U4':
    'uses its knowledge about performance to solve problems but not always consistently or systematically. It learns from its experiences but learning is not systematic and the service could do more to learn from other organisations. Examples of learning are isolated and/or may reflect a short-term reaction to very specific problems encountered, rather than a systematic scan for opportunities to deliver improvements.',
  '6.2-P6':
    'can demonstrate consideration of equalities and human rights issues in its policies, employment practices and service delivery. The service monitors its performance in relation to key equalities and other relevant legislation and makes itself accountable for progress on these issues.',
  '6.2-U7':
    'has capacity may be not fully utilised through mainstreaming of cross-cutting issues such as community safety.',
};

const LEARNING_SOURCES = [
  'systematic analysis of its own success and failures',
  'user feedback, including complaints, compliments, comments and suggestions',
  'staff feedback, including suggestions',
  'assembling and sharing best practice of other service providers in the public, private or voluntary sectors',
  'outcomes of Best Value and other review mechanisms',
  'external inspections',
];

describe('parseSeedDocument on the complete seed (004, HTML lists)', () => {
  const { framework, warnings } = parseSeedDocument(seed004);

  it('finds key questions 4–6, groups 5.1 and 5.2 and the fifteen leaf KLOEs, without warnings', () => {
    expect(warnings).toEqual([]);
    expect(framework.keyQuestions.map((kq) => [kq.ref, kq.title])).toEqual([
      ['4', 'What is the service track record in delivering improvement?'],
      ['5', 'How well does the service manage performance?'],
      ['6', 'Does the service have the capacity to improve?'],
    ]);
    const groups = framework.keyQuestions.flatMap((kq) => kq.children).filter((c) => c.kind === 'group');
    expect(groups.map((g) => [g.ref, g.question])).toEqual([
      ['5.1', "How good is the service's improvement planning?"],
      ['5.2', 'Are there arrangements and a culture in place to support continuous improvement?'],
    ]);
    expect(leafKloes(framework).map((leaf) => leaf.kloe.ref)).toEqual(
      '4.1 4.2 4.3 4.4 5.1.1 5.1.2 5.1.3 5.2.1 5.2.2 5.2.3 5.2.4 6.1 6.2 6.3 6.4'.split(' '),
    );
    expect(countFramework(framework)).toEqual({
      keyQuestions: 3,
      groups: 2,
      kloes: 15,
      statements: { promising: 52, uncertain: 51 },
      subItems: 6,
    });
  });

  it('is a sound framework document with the Judgement 2 identity and rating scale', () => {
    expect(frameworkDocumentSchema.parse(framework)).toEqual(framework);
    expect(checkFrameworkIntegrity(framework)).toEqual([]);
    expect(framework.id).toBe('audit-commission-j2');
    expect(framework.title).toBe('Service Inspection Key Lines of Enquiry — Judgement 2: Prospects for Improvement');
    expect(framework.publisher).toBe('Audit Commission');
    expect(framework.ratingScale.map((l) => [l.id, l.label, l.code, l.hasDescriptor])).toEqual([
      ['excellent', 'Excellent', 'E', false],
      ['promising', 'Promising', 'P', true],
      ['uncertain', 'Uncertain', 'U', true],
      ['poor', 'Poor', 'O', false],
    ]);
  });

  it('leaves no markup, bullets, lead-ins or empty text in any statement', () => {
    const all = allStatements(framework);
    const subItems = all.flatMap((s) => s.items ?? []);
    for (const { text } of [...all, ...subItems]) {
      expect(text.trim()).not.toBe('');
      expect(text).toBe(text.replace(/\s+/g, ' ').trim());
      expect(text).not.toMatch(/[<>•▪◦]|&[a-z]+;/);
      expect(text).not.toMatch(/^[-–*]/);
      expect(text).not.toMatch(/The service ?\/ ?organisation:/);
    }
  });

  it('keeps each lead-in verbatim beside its statements', () => {
    const leadIn = (ref: string, level: string) =>
      findKloe(framework, ref)?.kloe.descriptors.find((d) => d.level === level)?.leadIn;
    expect(leadIn('4.1', 'promising')).toBe('The service /organisation:');
    expect(leadIn('4.1', 'uncertain')).toBe(LEAD_IN);
    expect(statementText(framework, '4.1-P1')).toMatch(/^has implemented changes, derived from inspections/);
  });

  it.each(Object.entries(STITCHED))('stitches %s back together across the page break', (ref, text) => {
    expect(statementText(framework, ref)).toBe(text);
  });

  it('keeps the six learning sources of 5.2.4-P4 as its sub-items', () => {
    const p4 = statements(framework, '5.2.4', 'promising')[3]!;
    expect(p4.text).toBe('learns from its own experiences and from that of others, as a result of:');
    expect(p4.items).toEqual(LEARNING_SOURCES.map((text, i) => ({ ref: `5.2.4-P4.${i + 1}`, text })));
  });

  it('drops the stray empty bullet of 5.2.3 and reads the KLOE number wrapped in <p> (5.2.2)', () => {
    expect(texts(framework, '5.2.3', 'promising')).toHaveLength(3);
    expect(findKloe(framework, '5.2.2')?.kloe.question).toBe(
      'Are effective performance management arrangements in place to drive and monitor progress, and review impact?',
    );
  });

  it('keeps the spelling of the source', () => {
    expect(statementText(framework, '6.2-P5')).toContain('medium-term financial plan (MFTP)');
    expect(statementText(framework, '6.1-U2')).toContain('roles of councillors and/or');
  });

  it('reproduces the checked-in catalogue file exactly', () => {
    expect(framework).toEqual(JSON.parse(builtinText));
    expect(`${JSON.stringify(framework, null, 2)}\n`).toBe(builtinText);
    // The key order is the schema's, so a validated copy serialises identically too.
    expect(JSON.stringify(frameworkDocumentSchema.parse(framework))).toBe(JSON.stringify(framework));
  });

  it('takes the id, title and publisher from the options', () => {
    const custom = parseSeedDocument(seed004, { id: 'j2-copy', title: 'Copy', publisher: 'Someone' }).framework;
    expect([custom.id, custom.title, custom.publisher]).toEqual(['j2-copy', 'Copy', 'Someone']);
  });
});

describe('parseSeedDocument on the plain-text seed (000)', () => {
  const { framework, warnings } = parseSeedDocument(seed000);

  it('finds the same tree, and warns about the missing descriptor and the unseparated sub-list', () => {
    expect(checkFrameworkIntegrity(frameworkDocumentSchema.parse(framework))).toEqual([]);
    expect(countFramework(framework)).toEqual({
      keyQuestions: 3,
      groups: 2,
      kloes: 15,
      statements: { promising: 49, uncertain: 51 },
      subItems: 1,
    });
    expect(warnings).toEqual([
      { line: 18, message: 'KLOE 5.1.1 has no promising descriptor' },
      {
        line: 41,
        message:
          '5.2.4 promising: the sub-list after "…and from that of others, as a result of:" has no separators between its items; kept as one item',
      },
    ]);
    expect(findKloe(framework, '5.1.1')?.kloe.descriptors.map((d) => d.level)).toEqual(['uncertain']);
    expect(statements(framework, '5.2.4', 'promising')[3]!.items).toEqual([
      { ref: '5.2.4-P4.1', text: LEARNING_SOURCES.join(' ') },
    ]);
  });

  it('splits statements run together in one cell where a sentence ends and a lower-case word follows', () => {
    expect(texts(framework, '4.4', 'promising')).toEqual([
      'has made effective use of resources and outcomes represent good value for money. It can evidence improvements in value for money over a sustained period (3 years).',
      'can demonstrate investment and procurement decisions where the full short and long-term costs of actions are taken into account as well as the long-term interest of service users.',
      'has a clear focus on VFM evident in strategic decision-making and day-to-day management and review.',
      'has VFM and procurement principles embedded within core service aims and objectives and clearly articulated within the service planning framework.',
    ]);
    expect(texts(framework, '5.2.4', 'promising')[0]).toMatch(/^Understands its strengths/);
    expect(texts(framework, '6.4', 'uncertain')).toEqual([
      'seeks external funding where appropriate to support local service priorities.',
    ]);
  });

  it('reads the header row and the KLOE number split by a tab', () => {
    expect(findKloe(framework, '5.2.3')?.kloe.question).toBe(
      'Are effective performance management arrangements in place to drive and deliver improved value for money?',
    );
  });

  it.each(Object.entries(STITCHED))('stitches %s back together across the page break', (ref, text) => {
    expect(statementText(framework, ref)).toBe(text);
  });

  it('keeps its own spelling slips', () => {
    expect(statementText(framework, '6.1-U2')).toContain('roles of councilllors and/or');
    expect(statementText(framework, '6.2-U5')).toContain('Assets are managed, athlough not');
    expect(statementText(framework, '6.2-P5')).toContain('(MTFP)');
  });
});

describe('reading cells', () => {
  const only = (text: string) => parseSeedDocument(text).framework;

  it('reads HTML cells: the lead-in apart, one statement per list item, bullets stripped, entities decoded', () => {
    const doc = only(
      seed(
        row(
          '4.1 Can the service &amp; its partners show it?',
          html('• has plans &amp; aims.', '▪ detail one', '- can show it&#8217;s&nbsp;fine.'),
          `<p>The service /organisation:</p> ${ul('<strong>has</strong> made   changes.')}`,
        ),
      ),
    );
    const kloe = findKloe(doc, '4.1')!.kloe;
    expect(kloe.question).toBe('Can the service & its partners show it?');
    expect(kloe.descriptors).toEqual([
      {
        level: 'promising',
        leadIn: LEAD_IN,
        statements: [
          { ref: '4.1-P1', text: 'has plans & aims.', items: [{ ref: '4.1-P1.1', text: 'detail one' }] },
          { ref: '4.1-P2', text: 'can show it’s fine.' },
        ],
      },
      {
        level: 'uncertain',
        leadIn: 'The service /organisation:',
        statements: [{ ref: '4.1-U1', text: 'has made changes.' }],
      },
    ]);
  });

  it('reads plain cells: the lead-in apart, statements split at a sentence end before a lower-case word', () => {
    const doc = only(
      seed(
        row(
          '4.1 Q?',
          ` ${LEAD_IN} has plans. They are good, e.g. the best. can show   results. • seeks funding ▪ from lottery`,
          'has made changes',
        ),
      ),
    );
    expect(statements(doc, '4.1', 'promising')).toEqual([
      { ref: '4.1-P1', text: 'has plans. They are good, e.g. the best.' },
      { ref: '4.1-P2', text: 'can show results.' },
      { ref: '4.1-P3', text: 'seeks funding', items: [{ ref: '4.1-P3.1', text: 'from lottery' }] },
    ]);
    expect(findKloe(doc, '4.1')!.kloe.descriptors[1]).toEqual({
      level: 'uncertain',
      statements: [{ ref: '4.1-U1', text: 'has made changes' }],
    });
  });

  it('drops a stray empty bullet rather than keep an empty statement', () => {
    const doc = only(seed(row('4.1 Q?', html('• has plans.', '•'), 'has made changes. • ')));
    expect(texts(doc, '4.1', 'promising')).toEqual(['has plans.']);
    expect(texts(doc, '4.1', 'uncertain')).toEqual(['has made changes.']);
  });

  it('nests a list inside a list item as sub-items', () => {
    const doc = only(
      seed(row('4.1 Q?', html(`learns, as a result of: ${ul('analysis', 'feedback')}`, 'has more.'), 'x')),
    );
    expect(statements(doc, '4.1', 'promising')).toEqual([
      {
        ref: '4.1-P1',
        text: 'learns, as a result of:',
        items: [
          { ref: '4.1-P1.1', text: 'analysis' },
          { ref: '4.1-P1.2', text: 'feedback' },
        ],
      },
      { ref: '4.1-P2', text: 'has more.' },
    ]);
  });

  it('drops page titles and repeated header rows, reads "#" key question headings and a KLOE number split by a tab', () => {
    const doc = only(
      [
        '## Service Inspection Key Lines of Enquiry -',
        '### Judgement 2 (Prospects for Improvement) KLOE and detailed descriptors',
        '#### Key Question 4 - What is the track record?',
        HEADER,
        row('4.1 Q?', 'has a.', 'has b.'),
        ...pageBreak,
        'Judgement 2 (Prospects for Improvement) KLOE and detailed descriptors',
        'KEY\tLINE OF ENQUIRY (KLOE)\tAN ORGANISATION WITH PROMISING …\tAN ORGANISATION WITH UNCERTAIN …',
        row('4.2', 'Q2?', 'has c.', 'has d.'),
      ].join('\r\n'),
    );
    expect(doc.keyQuestions[0]!.title).toBe('What is the track record?');
    expect(leafKloes(doc).map((leaf) => [leaf.kloe.ref, leaf.kloe.question])).toEqual([
      ['4.1', 'Q?'],
      ['4.2', 'Q2?'],
    ]);
  });
});

describe('stitching statements cut by a page break', () => {
  /** A KLOE row, a page break and a continuation row; returns both descriptors' statement texts. */
  function continued(first: [string, string], next: [string, string]) {
    const doc = parseSeedDocument(seed(row('4.1 Q?', ...first), ...pageBreak, row('', ...next))).framework;
    return { promising: texts(doc, '4.1', 'promising'), uncertain: texts(doc, '4.1', 'uncertain') };
  }

  it('4.3: a plain fragment continues "User satisfaction is"', () => {
    const result = continued(['has a.', html('has b. User satisfaction is')], ['', 'mixed and service users may …']);
    expect(result.uncertain).toEqual(['has b. User satisfaction is mixed and service users may …']);
  });

  it('5.1.2: a <p> fragment continues the cut statement and list items start new ones', () => {
    const result = continued(
      [html('has plans. They reflect initiatives.'), html('has aims. It has not looked at corporately or')],
      [ul('• has engaged with users.'), `<p>how related priorities may impact.</p> ${ul('• has engaged partly.')}`],
    );
    expect(result.promising).toEqual(['has plans. They reflect initiatives.', 'has engaged with users.']);
    expect(result.uncertain).toEqual([
      'has aims. It has not looked at corporately or how related priorities may impact.',
      'has engaged partly.',
    ]);
  });

  it('5.2.1: "… recruit and" + "retain councillors …"', () => {
    const result = continued(
      [html('has leaders.'), html('has not maximised. It can recruit and')],
      [
        ul('can show that its managers decide.'),
        `<p>retain councillors and/or board members.</p> ${ul('has taken decisions.')}`,
      ],
    );
    expect(result.uncertain).toEqual([
      'has not maximised. It can recruit and retain councillors and/or board members.',
      'has taken decisions.',
    ]);
    expect(result.promising).toEqual(['has leaders.', 'can show that its managers decide.']);
  });

  it('5.2.2: "… some of the practical" + "tasks necessary …" in plain text, then bulleted statements', () => {
    const result = continued(
      ['has managers.', 'may have plans. Its plans set out some of the practical'],
      [
        ' has plans that are realistic. ',
        'tasks necessary to deliver. For other tasks, it is unclear. • has plans which include tasks.',
      ],
    );
    expect(result.promising).toEqual(['has managers.', 'has plans that are realistic.']);
    expect(result.uncertain).toEqual([
      'may have plans. Its plans set out some of the practical tasks necessary to deliver. For other tasks, it is unclear.',
      'has plans which include tasks.',
    ]);
  });

  it('5.2.4: "… learning is not" + "systematic and …", and ▪ items go under the statement ending ":"', () => {
    const result = continued(
      [html('learns, as a result of:'), html('uses knowledge. It learns but learning is not')],
      [ul('▪ systematic analysis', '▪ external inspections'), '<p>systematic and the service could do more.</p>'],
    );
    expect(result.uncertain).toEqual([
      'uses knowledge. It learns but learning is not systematic and the service could do more.',
    ]);
    expect(result.promising).toEqual(['learns, as a result of:']);
  });

  it('6.2: "… key equalities and other" + "relevant legislation …", and "… such as" + "community safety."', () => {
    const result = continued(
      [
        html('can demonstrate equalities. It monitors key equalities and other'),
        html('has capacity through issues such as'),
      ],
      [`<p>relevant legislation.</p> ${ul('has capacity fully utilised.')}`, '<p>community safety.</p>'],
    );
    expect(result.promising).toEqual([
      'can demonstrate equalities. It monitors key equalities and other relevant legislation.',
      'has capacity fully utilised.',
    ]);
    expect(result.uncertain).toEqual(['has capacity through issues such as community safety.']);
  });

  it('starts a new statement after a complete one, or when the fragment starts with a capital', () => {
    const result = continued(
      [html('has plans.'), 'has aims such as'],
      ['has engaged with users.', 'Community safety matters.'],
    );
    expect(result.promising).toEqual(['has plans.', 'has engaged with users.']);
    expect(result.uncertain).toEqual(['has aims such as', 'Community safety matters.']);
  });

  it('keeps unseparated plain text after a statement ending ":" as one sub-item, with a warning', () => {
    const text = seed(
      row('4.1 Q?', 'learns, as a result of:', 'has b.'),
      ...pageBreak,
      row('', 'analysis feedback', ''),
    );
    const { framework, warnings } = parseSeedDocument(text);
    expect(statements(framework, '4.1', 'promising')[0]!.items).toEqual([
      { ref: '4.1-P1.1', text: 'analysis feedback' },
    ]);
    expect(warnings).toEqual([
      {
        line: 9,
        message:
          '4.1 promising: the sub-list after "learns, as a result of:" has no separators between its items; kept as one item',
      },
    ]);
  });
});

describe('warnings', () => {
  it('warns, with the line, about a leaf KLOE without a descriptor', () => {
    const { framework, warnings } = parseSeedDocument(
      seed(row('4.1 Q?', 'has a.', 'has b.'), row('4.2 Q2?', '', 'has c.')),
    );
    expect(warnings).toEqual([{ line: 5, message: 'KLOE 4.2 has no promising descriptor' }]);
    expect(findKloe(framework, '4.2')!.kloe.descriptors.map((d) => d.level)).toEqual(['uncertain']);
  });

  it('warns about HTML text outside a list that starts a statement', () => {
    const { warnings } = parseSeedDocument(seed(row('4.1 Q?', '<p>has a.</p>', html('has b.'))));
    expect(warnings).toEqual([
      { line: 4, message: '4.1 promising: text outside a list item kept as a statement: "has a."' },
    ]);
  });
});

describe('refusing what is not a KLOE table', () => {
  const kq5 = 'Key Question 5 - How well does the service manage performance?';

  it.each([
    ['an empty string', '', 'line 1: the document is empty'],
    ['only blank lines', '\n  \n\t\n', 'line 1: the document is empty'],
    ['binary data', 'abc\n\u0000\u0001\u0002', 'line 2: binary data (a NUL byte), not a KLOE table'],
    ['a CSV of something else', 'name,age\nbob,3', 'line 1: no header row'],
    ['a TSV of something else', 'name\tage\nbob\t3', 'line 1: no header row'],
    ['a header but no key question', HEADER, 'line 1: no key question'],
    [
      'a KLOE out of order',
      seed(row('4.1 Q?', 'a', 'b'), row('4.2 Q?', 'a', 'b'), row('4.4 Q?', 'a', 'b'), row('4.3 Q?', 'a', 'b')),
      'line 7: KLOE 4.3 is out of order (after 4.4)',
    ],
    [
      'a duplicate KLOE',
      seed(row('4.1 Q?', 'a', 'b'), row('4.2 Q?', 'a', 'b'), row('4.2 Q?', 'a', 'b')),
      'line 6: KLOE 4.2 appears twice (first on line 5)',
    ],
    [
      'a KLOE under the wrong key question',
      seed(row('4.1 Q?', 'a', 'b'), kq5, row('6.1 Q?', 'a', 'b'), row('5.1 Q?', 'a', 'b')),
      'line 6: KLOE 6.1 does not belong to key question 5',
    ],
    [
      'a continuation row before any KLOE',
      seed(row('', 'a', 'b'), row('4.1 Q?', 'a', 'b')),
      'line 4: a continuation row (empty first cell) with no KLOE',
    ],
    [
      'a continuation row after a group',
      seed(row('4.1 Group?', '', ''), row('', 'a', 'b'), row('4.1.1 Q?', 'a', 'b')),
      'line 5: a continuation row (empty first cell) after group 4.1',
    ],
    [
      'a KLOE before any key question',
      [HEADER, row('4.1 Q?', 'a', 'b'), 'Key Question 5 - T', row('5.1 Q?', 'a', 'b')].join('\n'),
      'line 2: KLOE 4.1 comes before any key question',
    ],
    [
      'a row before the header row',
      ['Key Question 4 - T', row('4.1 Q?', 'a', 'b'), HEADER, row('4.2 Q?', 'a', 'b')].join('\n'),
      'line 2: a table row before any header row',
    ],
    [
      'a row of the wrong width',
      seed(row('4.1 Q?', 'a', 'b'), row('4.2 Q?', 'a')),
      'line 5: expected 3 columns (KLOE, promising, uncertain) but found 2',
    ],
    [
      'a row without a KLOE number',
      seed(row('4.1 Q?', 'a', 'b'), row('Page 3', 'a', 'b')),
      'line 5: cannot read a KLOE number at the start of "Page 3"',
    ],
    ['a stray line of text', seed(row('4.1 Q?', 'a', 'b'), 'some words'), 'line 5: cannot place "some words"'],
    [
      'a group without KLOEs',
      seed(row('4.1 Group?', '', ''), row('4.2 Q?', 'a', 'b')),
      'line 4: group 4.1 has no KLOEs',
    ],
    [
      'a KLOE without its group',
      seed(row('4.1 Q?', 'a', 'b'), row('4.1.1 Q?', 'a', 'b')),
      'line 5: KLOE 4.1.1 has no group 4.1',
    ],
    [
      'a key question without KLOEs',
      [seed(row('4.1 Q?', 'a', 'b')), kq5].join('\n'),
      'line 5: key question 5 has no KLOEs',
    ],
    [
      'a key question out of order',
      [kq5, HEADER, row('5.1 Q?', 'a', 'b'), seed(row('4.1 Q?', 'a', 'b'))].join('\n'),
      'line 4: key question 4 is out of order (after 5)',
    ],
    [
      'a sub-item with no statement above it',
      seed(row('4.1 Q?', ul('▪ lonely'), 'b')),
      'line 4: 4.1 promising: sub-item "lonely" has no statement above it',
    ],
  ])('refuses %s, naming the line', (_name, text, message) => {
    expect(() => parseSeedDocument(text)).toThrow(SeedImportError);
    expect(() => parseSeedDocument(text)).toThrow(message);
  });

  it('collects every problem it finds before refusing', () => {
    const text = seed(row('4.1 Q?', 'a', 'b'), row('4.1 Q?', 'a', 'b'), row('', 'c', 'd'), 'some words');
    const error = (() => {
      try {
        parseSeedDocument(text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SeedImportError);
    const importError = error as SeedImportError;
    expect(importError.name).toBe('SeedImportError');
    expect(importError.message).toBe('line 5: KLOE 4.1 appears twice (first on line 4) (and 1 more)');
    // The continuation row of the refused KLOE is skipped rather than reported again.
    expect(importError.problems).toEqual([
      { line: 5, message: 'KLOE 4.1 appears twice (first on line 4)' },
      { line: 7, message: 'cannot place "some words": not a page title, key question or table row' },
    ]);
  });
});
