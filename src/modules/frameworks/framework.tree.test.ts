import { describe, expect, it } from 'vitest';
import type { FrameworkDocument } from './framework.model.js';
import { checkFrameworkIntegrity, countFramework, findKloe, leafKloes, statementRef } from './framework.tree.js';
import { tinyFramework } from './testing/tiny-framework.js';

const tiny = tinyFramework;

describe('framework tree', () => {
  it('walks leaf KLOEs in document order with their key question and group', () => {
    const leaves = leafKloes(tiny());
    expect(leaves.map((l) => l.kloe.ref)).toEqual(['1.1', '1.2.1']);
    expect(leaves[1]!.group?.ref).toBe('1.2');
    expect(findKloe(tiny(), '1.2.1')?.keyQuestion.ref).toBe('1');
    expect(findKloe(tiny(), '1.2')).toBeUndefined();
  });

  it('counts statements per level and sub-items', () => {
    expect(countFramework(tiny())).toEqual({
      keyQuestions: 1,
      groups: 1,
      kloes: 2,
      statements: { good: 3, weak: 1 },
      subItems: 1,
    });
  });

  it('builds statement references from KLOE, level code and position', () => {
    expect(statementRef('5.2.2', 'P', 7)).toBe('5.2.2-P7');
  });

  it('accepts a sound document', () => {
    expect(checkFrameworkIntegrity(tiny())).toEqual([]);
  });

  it.each([
    [
      'a duplicated KLOE reference',
      (d: FrameworkDocument) => ((d.keyQuestions[0]!.children[1]!.ref = '1.1'), d),
      '1.1: reference used twice',
    ],
    [
      'a KLOE outside its key question',
      (d: FrameworkDocument) => ((d.keyQuestions[0]!.children[0]!.ref = '2.1'), d),
      '2.1: must sit under 1',
    ],
    [
      'a descriptor for a level without descriptors',
      (d: FrameworkDocument) => {
        const kloe = d.keyQuestions[0]!.children[0]!;
        if (kloe.kind === 'kloe') kloe.descriptors[1]!.level = 'poor';
        return d;
      },
      '1.1: level "poor" takes no descriptor',
    ],
    [
      'a descriptor for an unknown level',
      (d: FrameworkDocument) => {
        const kloe = d.keyQuestions[0]!.children[0]!;
        if (kloe.kind === 'kloe') kloe.descriptors[1]!.level = 'splendid';
        return d;
      },
      '1.1: descriptor for unknown level "splendid"',
    ],
    [
      'a statement reference out of step',
      (d: FrameworkDocument) => {
        const kloe = d.keyQuestions[0]!.children[0]!;
        if (kloe.kind === 'kloe') kloe.descriptors[0]!.statements[1]!.ref = '1.1-G3';
        return d;
      },
      '1.1-G3: expected reference 1.1-G2',
    ],
    [
      'a sub-item reference out of step',
      (d: FrameworkDocument) => {
        const kloe = d.keyQuestions[0]!.children[0]!;
        if (kloe.kind === 'kloe') kloe.descriptors[0]!.statements[1]!.items![0]!.ref = '1.1-G2.9';
        return d;
      },
      '1.1-G2.9: expected reference 1.1-G2.1',
    ],
    [
      'duplicate level codes',
      (d: FrameworkDocument) => ((d.ratingScale[1]!.code = 'G'), d),
      'ratingScale: level codes must be unique',
    ],
  ])('reports %s', (_name, mutate, message) => {
    expect(checkFrameworkIntegrity(mutate(tiny()))).toContain(message);
  });
});
