import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWordChanges, diffFrameworks, formatDifferences } from './framework-diff.js';
import type { FrameworkDocument, Kloe } from './framework.model.js';
import { parseSeedDocument } from './seed-parser.js';
import { SEED_HTML, SEED_PLAIN } from './testing/seed-files.js';
import { tinyFramework } from './testing/tiny-framework.js';

const base = tinyFramework;

/** A copy of the base document changed by `edit`. */
function changed(edit: (doc: FrameworkDocument) => void): FrameworkDocument {
  const doc = base();
  edit(doc);
  return doc;
}
const kloe11 = (doc: FrameworkDocument) => doc.keyQuestions[0]!.children[0] as Kloe;

describe('diffFrameworks', () => {
  it('finds no differences between equal documents', () => {
    expect(diffFrameworks(base(), base())).toEqual([]);
    expect(formatDifferences([])).toBe('no differences');
  });

  it('reports the framework title and publisher', () => {
    const b = changed((doc) => {
      doc.title = 'Tiny framework';
      doc.publisher = 'Us';
    });
    expect(diffFrameworks(base(), b)).toEqual([
      {
        ref: 'framework',
        kind: 'changed',
        what: 'title',
        a: 'Tiny',
        b: 'Tiny framework',
        detail: '+ framework',
      },
      { ref: 'framework', kind: 'added', what: 'publisher', b: 'Us' },
    ]);
  });

  it('reports key questions added, removed and retitled', () => {
    const second = { ref: '2', title: 'Two', children: base().keyQuestions[0]!.children };
    const b = changed((doc) => {
      doc.keyQuestions[0]!.title = 'One again';
      doc.keyQuestions.push(second);
    });
    expect(diffFrameworks(base(), b)).toEqual([
      { ref: '1', kind: 'changed', what: 'key question title', a: 'One', b: 'One again', detail: '+ again' },
      { ref: '2', kind: 'added', what: 'key question', b: 'Two' },
    ]);
    expect(diffFrameworks(b, base()).at(-1)).toEqual({ ref: '2', kind: 'removed', what: 'key question', a: 'Two' });
  });

  it('reports KLOEs and groups added, removed, re-worded or changed in kind', () => {
    const b = changed((doc) => {
      const children = doc.keyQuestions[0]!.children;
      children[0]!.question = 'Is it very good?';
      children.splice(1, 1, { ...kloe11(base()), ref: '1.3' });
    });
    expect(diffFrameworks(base(), b)).toEqual([
      {
        ref: '1.1',
        kind: 'changed',
        what: 'question',
        a: 'Is it good?',
        b: 'Is it very good?',
        detail: '+ very',
      },
      { ref: '1.2', kind: 'removed', what: 'KLOE group', a: 'Group?' },
      { ref: '1.3', kind: 'added', what: 'KLOE', b: 'Is it good?' },
    ]);

    const groupToKloe = changed((doc) => {
      doc.keyQuestions[0]!.children[1] = { ...kloe11(base()), ref: '1.2', question: 'Group?' };
    });
    expect(diffFrameworks(base(), groupToKloe)).toEqual([
      { ref: '1.2', kind: 'changed', what: 'kind', a: 'KLOE group', b: 'KLOE' },
    ]);
  });

  it('reports KLOEs inside a group', () => {
    const b = changed((doc) => {
      const group = doc.keyQuestions[0]!.children[1]!;
      if (group.kind === 'group') group.kloes.push({ ...group.kloes[0]!, ref: '1.2.2', question: 'More?' });
    });
    expect(diffFrameworks(base(), b)).toEqual([{ ref: '1.2.2', kind: 'added', what: 'KLOE', b: 'More?' }]);
  });

  it('reports a descriptor present in one document only', () => {
    const b = changed((doc) => void kloe11(doc).descriptors.splice(1, 1));
    const differences = diffFrameworks(base(), b);
    expect(differences).toEqual([{ ref: '1.1', kind: 'removed', what: 'weak descriptor', detail: '1 statement' }]);
    expect(formatDifferences(differences)).toBe('1.1: weak descriptor only in A (1 statement)');
    expect(formatDifferences(diffFrameworks(b, base()))).toBe('1.1: weak descriptor only in B (1 statement)');
  });

  it('reports lead-ins changed, added and removed', () => {
    const b = changed((doc) => {
      kloe11(doc).descriptors[0]!.leadIn = 'The service /organisation:';
      kloe11(doc).descriptors[1]!.leadIn = 'The service:';
    });
    expect(diffFrameworks(base(), b)).toEqual([
      {
        ref: '1.1',
        kind: 'changed',
        what: 'good lead-in',
        a: 'The service:',
        b: 'The service /organisation:',
        detail: 'service: → service /organisation:',
      },
      { ref: '1.1', kind: 'added', what: 'weak lead-in', b: 'The service:' },
    ]);
    expect(diffFrameworks(b, base())[1]).toEqual({
      ref: '1.1',
      kind: 'removed',
      what: 'weak lead-in',
      a: 'The service:',
    });
  });

  it('reports statements added, removed and changed, with the words that changed', () => {
    const b = changed((doc) => {
      const [good, weak] = kloe11(doc).descriptors;
      good!.statements[0]!.text = 'has plans that work well.';
      weak!.statements.push({ ref: '1.1-W2', text: 'has no leaders.' });
    });
    expect(diffFrameworks(base(), b)).toEqual([
      {
        ref: '1.1-G1',
        kind: 'changed',
        what: 'statement',
        a: 'has plans which work.',
        b: 'has plans that work well.',
        detail: 'which work. → that work well.',
      },
      { ref: '1.1-W2', kind: 'added', what: 'statement', b: 'has no leaders.' },
    ]);
    expect(diffFrameworks(b, base())[1]).toEqual({
      ref: '1.1-W2',
      kind: 'removed',
      what: 'statement',
      a: 'has no leaders.',
    });
  });

  it('reports sub-items added, removed and changed', () => {
    const b = changed((doc) => {
      kloe11(doc).descriptors[0]!.statements[1]!.items = [
        { ref: '1.1-G2.1', text: 'user feedback' },
        { ref: '1.1-G2.2', text: 'inspections' },
      ];
    });
    expect(diffFrameworks(base(), b)).toEqual([
      { ref: '1.1-G2.1', kind: 'changed', what: 'sub-item', a: 'feedback', b: 'user feedback', detail: '+ user' },
      { ref: '1.1-G2.2', kind: 'added', what: 'sub-item', b: 'inspections' },
    ]);
    const withoutItems = changed((doc) => delete kloe11(doc).descriptors[0]!.statements[1]!.items);
    expect(diffFrameworks(base(), withoutItems)).toEqual([
      { ref: '1.1-G2.1', kind: 'removed', what: 'sub-item', a: 'feedback' },
    ]);
  });

  it('reports rating levels added, removed, changed and reordered', () => {
    const b = changed((doc) => {
      const [good, weak, poor] = doc.ratingScale;
      weak!.description = 'Weak, mostly.';
      good!.hasDescriptor = false;
      doc.ratingScale = [
        weak!,
        good!,
        poor!,
        { id: 'awful', label: 'Awful', code: 'A', description: 'Awful.', hasDescriptor: false },
      ];
    });
    expect(diffFrameworks(base(), b)).toEqual([
      {
        ref: 'rating scale',
        kind: 'changed',
        what: '"good" has a descriptor',
        a: 'true',
        b: 'false',
        detail: 'true → false',
      },
      {
        ref: 'rating scale',
        kind: 'changed',
        what: '"weak" description',
        a: 'Weak.',
        b: 'Weak, mostly.',
        detail: 'Weak. → Weak, mostly.',
      },
      { ref: 'rating scale', kind: 'added', what: 'level "awful"', b: 'Awful' },
      {
        ref: 'rating scale',
        kind: 'changed',
        what: 'order of levels',
        a: 'good, weak, poor',
        b: 'weak, good, poor',
        detail: 'good, weak, poor → weak, good, poor',
      },
    ]);
  });

  it('lists differences in document order and formats one line each', () => {
    const b = changed((doc) => {
      doc.title = 'Tiny 2';
      kloe11(doc).descriptors[1]!.statements[0]!.text = 'has fewer plans.';
      doc.keyQuestions[0]!.title = 'Uno';
    });
    expect(formatDifferences(diffFrameworks(base(), b))).toBe(
      [
        'framework: title changed: + 2',
        '1: key question title changed: One → Uno',
        '1.1-W1: statement changed: few → fewer',
      ].join('\n'),
    );
  });
});

describe('describeWordChanges', () => {
  it('describes replaced, added and removed words compactly', () => {
    expect(describeWordChanges('the councilllors and staff', 'the councillors and staff')).toBe(
      'councilllors → councillors',
    );
    expect(describeWordChanges('a b c d', 'a x b d')).toBe('+ x; - c');
    expect(describeWordChanges('a  b', 'a b')).toBe('whitespace only');
  });

  it('shortens long runs of words and many changes', () => {
    const long = 'one two three four five six seven eight nine ten';
    expect(describeWordChanges('start end', `start ${long} end`)).toBe('+ one two three four … eight nine ten');
    expect(describeWordChanges('a b c d e f g h i j', 'A b C d E f G h I j')).toBe(
      'a → A; c → C; e → E; g → G; and 1 more',
    );
  });
});

describe('diffing the two seeds', () => {
  const read = (file: string) => parseSeedDocument(fs.readFileSync(file, 'utf8')).framework;
  const differences = diffFrameworks(read(SEED_PLAIN), read(SEED_HTML));

  it('shows the promising descriptor of 5.1.1 that 000 lacks', () => {
    expect(differences).toContainEqual({
      ref: '5.1.1',
      kind: 'added',
      what: 'promising descriptor',
      detail: '3 statements',
    });
    expect(formatDifferences(differences)).toContain('5.1.1: promising descriptor only in B (3 statements)');
  });

  it('shows the spelling slips that differ', () => {
    const details = Object.fromEntries(differences.map((d) => [d.ref, d.detail]));
    expect(details['6.1-U2']).toBe('councilllors → councillors');
    expect(details['6.2-U5']).toBe('athlough → although');
    expect(details['5.2.2-P5']).toBe('userfocused → user-focused');
  });
});
