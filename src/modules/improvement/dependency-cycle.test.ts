import { describe, expect, it } from 'vitest';
import { dependencyCycle } from './dependency-cycle.js';

describe('dependencyCycle', () => {
  const edges = new Map([
    ['b', ['c']],
    ['c', ['d']],
    ['d', []],
  ]);

  it('finds none in a chain or a diamond', () => {
    expect(dependencyCycle('a', ['b', 'c'], edges)).toBeUndefined();
    expect(dependencyCycle('a', [], edges)).toBeUndefined();
  });

  it('names the circle a dependency would close, from the action back to it', () => {
    expect(dependencyCycle('d', ['b'], edges)).toEqual(['d', 'b', 'c', 'd']);
    expect(dependencyCycle('a', ['a'], edges)).toEqual(['a', 'a']);
    expect(dependencyCycle('b', ['c'], new Map([['c', ['b']]]))).toEqual(['b', 'c', 'b']);
  });
});
