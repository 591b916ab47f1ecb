import { describe, expect, it } from 'vitest';
import { checkTemplateCommands, type TemplateCommand } from './template-placeholder-rules.js';

/** Commands as docx-templates lists them, from what a template author writes between {{ and }}. */
const ins = (code: string): TemplateCommand => ({ raw: `INS ${code}`, type: 'INS', code });
const cmd = (raw: string): TemplateCommand => {
  const [type, ...rest] = raw.split(' ');
  return { raw, type: type!, code: rest.join(' ') };
};
const check = (...commands: TemplateCommand[]) => checkTemplateCommands(commands);

describe('template placeholders', () => {
  it('accepts fields, loops over lists with their items, conditions and list lengths', () => {
    const result = check(
      ins('organisation.name'),
      cmd('IF draft'),
      cmd('END-IF'),
      cmd('FOR k IN kloes'),
      ins('$k.ref'),
      ins('$k.rating'),
      cmd('IF $k.evidence.length'),
      cmd('FOR e IN $k.evidence'),
      ins('$e.title'),
      cmd('END-FOR e'),
      cmd('END-IF'),
      cmd('FOR s IN $k.strengths'),
      ins('$s'),
      cmd('END-FOR s'),
      cmd('END-FOR k'),
      cmd('FOR r IN recommendations'),
      ins('$r.number'),
      ins('$r.text'),
      cmd('END-FOR r'),
      ins('organisation.name'),
    );
    expect(result.problems).toEqual([]);
    expect(result.placeholders[0]).toBe('INS organisation.name');
    expect(result.placeholders.filter((p) => p === 'INS organisation.name')).toHaveLength(1);
  });

  it('names an unknown placeholder', () => {
    expect(check(ins('organization.nme')).problems).toEqual(['Unknown placeholder "organization.nme" in the template']);
    expect(check(ins('organisation.nme')).problems).toEqual(['Unknown placeholder "organisation.nme" in the template']);
    expect(check(cmd('FOR k IN kloes'), ins('$k.score'), cmd('END-FOR k')).problems).toEqual([
      'Unknown placeholder "$k.score" in the template',
    ]);
  });

  it('refuses a loop item used outside its loop, and a list or group printed as text', () => {
    expect(check(cmd('FOR k IN kloes'), cmd('END-FOR k'), ins('$k.ref')).problems[0]).toContain(
      'Unknown placeholder "$k.ref" in the template: $k is not the item of an enclosing FOR loop',
    );
    expect(check(ins('kloes')).problems[0]).toContain('{{FOR item IN kloes}}');
    expect(check(ins('organisation')).problems[0]).toContain('is a group of fields');
    expect(check(cmd('FOR x IN organisation.name'), cmd('END-FOR x')).problems[0]).toContain('not a list');
  });

  it('refuses broken syntax: unclosed loops and conditions, stray ends, a missing }}', () => {
    expect(check(cmd('FOR k IN kloes'), ins('$k.ref')).problems).toEqual([
      'Placeholder "{{FOR k IN …}}" is never closed: add {{END-FOR k}}',
    ]);
    expect(check(cmd('IF draft')).problems).toEqual(['Placeholder "{{IF draft}}" is never closed: add {{END-IF}}']);
    expect(check(ins('title'), cmd('END-FOR k')).problems[0]).toContain('"{{END-FOR k}}" has no matching');
    expect(check(ins('title'), cmd('END-IF')).problems[0]).toContain('"{{END-IF}}" has no matching');
    expect(check(cmd('FOR k kloes'), cmd('END-FOR k')).problems[0]).toContain('is not a loop');
    // "{{organisation.name" with no "}}" runs on into the next paragraph's text.
    expect(check(ins('organisation.name Service')).problems[0]).toMatch(
      /^Placeholder "\{\{organisation.name Service\}\}" is not allowed: .*closing \}\} missing/,
    );
    expect(check().problems[0]).toContain('no placeholders');
  });

  it('refuses JavaScript expressions and the commands that run code or fetch things', () => {
    for (const code of [
      'organisation.name.toUpperCase()',
      'title + " report"',
      'kloes[0].ref',
      "this.constructor.constructor('return process')()",
      '`${title}`',
    ]) {
      expect(check(ins(code)).problems[0], code).toContain('is not allowed');
    }
    expect(check(cmd('IF kloes.length > 3'), cmd('END-IF')).problems[0]).toContain('is not allowed');
    expect(check(cmd('FOR k IN kloes.filter(x => x)'), cmd('END-FOR k')).problems[0]).toContain('is not allowed');
    for (const raw of [
      'EXEC x = 1',
      'IMAGE logo()',
      'LINK ({ url: title })',
      'HTML title',
      'QUERY q',
      'ALIAS t title',
    ]) {
      expect(check(cmd(raw)).problems[0], raw).toContain(`(not ${raw.split(' ')[0]})`);
    }
  });

  it('refuses loops nested more than three deep, which multiply the document', () => {
    const loops = (depth: number) => [
      ...Array.from({ length: depth }, (_, i) => cmd(`FOR l${i} IN kloes`)),
      ins('title'),
      ...Array.from({ length: depth }, (_, i) => cmd(`END-FOR l${depth - 1 - i}`)),
    ];
    expect(check(...loops(3)).problems).toEqual([]);
    expect(check(...loops(4)).problems).toEqual([
      'Placeholder "{{FOR l3 IN kloes}}" is a loop inside 3 others: loops may be nested at most 3 deep',
    ]);
  });
});
