/**
 * The resolution memo answers from memory only what Node would answer the same way: relative `.js` imports
 * into a directory Node said holds ES modules, and a package name asked for again from the same directory.
 */
import type { ResolveFnOutput, ResolveHookContext } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createResolutionMemo } from './resolution-memo.js';

const IMPORT: ResolveHookContext = { conditions: ['node', 'import'], importAttributes: {}, parentURL: undefined };
const from = (parentURL: string, conditions = IMPORT.conditions) => ({ ...IMPORT, parentURL, conditions });

/** A stand-in for Node's resolution that counts its calls and answers from a table. */
function nodeResolution(answers: Record<string, ResolveFnOutput>) {
  const asked: string[] = [];
  const next = (specifier: string, context?: Partial<ResolveHookContext>): ResolveFnOutput => {
    asked.push(`${context?.parentURL} ${specifier}`);
    const relative = specifier.startsWith('.') && context?.parentURL;
    const answer = relative ? answers[new URL(specifier, context.parentURL).href] : answers[specifier];
    if (!answer) throw new Error(`Cannot find ${specifier}`);
    return answer;
  };
  return { next, asked };
}

describe('resolution memo', () => {
  it('asks Node once per directory of ES modules, then answers relative imports into it itself', () => {
    const memo = createResolutionMemo();
    const dir = 'file:///app/node_modules/orm/';
    const { next, asked } = nodeResolution({
      [`${dir}a.js`]: { url: `${dir}a.js`, format: 'module' },
      [`${dir}b.js`]: { url: `${dir}b.js`, format: 'module' },
    });
    expect(memo('./a.js', from(`${dir}index.js`), next)).toEqual({ url: `${dir}a.js`, format: 'module' });
    expect(memo('./b.js', from(`${dir}index.js`), next)).toEqual({
      url: `${dir}b.js`,
      format: 'module',
      shortCircuit: true,
    });
    expect(memo('../b.js', from(`${dir}pg-core/table.js`), next)).toMatchObject({ url: `${dir}b.js` });
    expect(asked).toEqual([`${dir}index.js ./a.js`]);
  });

  it('keeps nothing of a directory whose files are CommonJS or judged by their syntax', () => {
    const memo = createResolutionMemo();
    const dir = 'file:///app/node_modules/old/';
    const { next, asked } = nodeResolution({
      [`${dir}a.js`]: { url: `${dir}a.js`, format: 'commonjs' },
      [`${dir}b.js`]: { url: `${dir}b.js`, format: null },
    });
    for (const specifier of ['./a.js', './a.js', './b.js', './b.js']) memo(specifier, from(`${dir}index.js`), next);
    expect(asked).toHaveLength(4);
  });

  it('passes on, and never keeps, an answer at another address than the path (a symbolic link followed)', () => {
    const memo = createResolutionMemo();
    const dir = 'file:///app/node_modules/linked/';
    const { next, asked } = nodeResolution({
      [`${dir}a.js`]: { url: 'file:///work/linked/a.js', format: 'module' },
      [`${dir}b.js`]: { url: `${dir}b.js`, format: 'module' },
    });
    expect(memo('./a.js', from(`${dir}index.js`), next).url).toBe('file:///work/linked/a.js');
    memo('./b.js', from(`${dir}index.js`), next);
    expect(asked).toHaveLength(2);
  });

  it('lets Node say a file is missing, every time', () => {
    const memo = createResolutionMemo();
    const { next } = nodeResolution({});
    expect(() => memo('./gone.js', from('file:///app/dist/x.js'), next)).toThrow('Cannot find ./gone.js');
    expect(() => memo('./gone.js', from('file:///app/dist/x.js'), next)).toThrow('Cannot find ./gone.js');
  });

  it('resolves a package name once per directory and conditions, and built-in modules always through Node', () => {
    const memo = createResolutionMemo();
    const orm = { url: 'file:///app/node_modules/orm/index.js', format: 'module' };
    const { next, asked } = nodeResolution({ orm, 'node:fs': { url: 'node:fs', format: 'builtin' } });
    expect(memo('orm', from('file:///app/dist/a.js'), next)).toEqual(orm);
    expect(memo('orm', from('file:///app/dist/b.js'), next)).toEqual({ ...orm, shortCircuit: true });
    memo('orm', from('file:///app/dist/cli/c.js'), next);
    memo('orm', from('file:///app/dist/a.js', ['node', 'require']), next);
    memo('node:fs', from('file:///app/dist/a.js'), next);
    memo('node:fs', from('file:///app/dist/a.js'), next);
    expect(asked).toEqual([
      'file:///app/dist/a.js orm',
      'file:///app/dist/cli/c.js orm',
      'file:///app/dist/a.js orm',
      'file:///app/dist/a.js node:fs',
      'file:///app/dist/a.js node:fs',
    ]);
  });
});
