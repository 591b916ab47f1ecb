import { describe, expect, it } from 'vitest';
import { applyAttributeChanges, attributeRows, namedAttributeProblems } from './organisation-attributes.js';

describe('organisation attributes', () => {
  it('sets, removes and keeps attributes as a change says', () => {
    const current = { population: 100, stockSize: 50, custom: 7 };
    expect(applyAttributeChanges(current, { population: 120, stockSize: null, deprivationScore: 9.5 })).toEqual({
      population: 120,
      custom: 7,
      deprivationScore: 9.5,
    });
    expect(current).toEqual({ population: 100, stockSize: 50, custom: 7 }); // not changed in place
  });

  it('checks only the named attributes, and never a removal', () => {
    expect(namedAttributeProblems({ custom: -5, population: null })).toEqual([]);
    expect(namedAttributeProblems({ stockSize: -1 })).toEqual([
      { path: ['stockSize'], message: 'The housing stock must be 0 or more' },
    ]);
  });

  it('shows the named attributes first with their labels, then the others by name, formatted', () => {
    expect(attributeRows({ zeta: 1, stockSize: 5120, alpha: 0.125, population: 118400 })).toEqual([
      { key: 'population', label: 'Population', text: '118,400' },
      { key: 'stockSize', label: 'Housing stock', text: '5,120' },
      { key: 'alpha', label: 'alpha', text: '0.125' },
      { key: 'zeta', label: 'zeta', text: '1' },
    ]);
  });
});
