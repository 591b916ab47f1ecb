import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './neighbours.js';

const org = (code: string, attributes: Record<string, number>) => ({ id: code.toLowerCase(), code, attributes });

describe('nearestNeighbours', () => {
  it('standardises and measures Euclidean distance (hand-worked)', () => {
    // 1 2 4 7: mean 3.5, population sd √(21/4); from A: 1, 3 and 6 sd-units apart.
    const sd = Math.sqrt(21 / 4);
    const result = nearestNeighbours(
      [org('A', { p: 1 }), org('B', { p: 2 }), org('C', { p: 4 }), org('D', { p: 7 })],
      'a',
      ['p'],
      2,
    );
    expect(result.map((n) => n.code)).toEqual(['B', 'C']);
    expect(result[0]!.distance).toBeCloseTo(1 / sd, 12);
    expect(result[1]!.distance).toBeCloseTo(3 / sd, 12);
  });

  it('weighs attributes equally whatever their units', () => {
    // Population in people and deprivation in points: unstandardised, population would decide alone.
    const candidates = [
      org('A', { population: 100_000, deprivation: 10 }),
      org('B', { population: 101_000, deprivation: 40 }),
      org('C', { population: 110_000, deprivation: 11 }),
      org('D', { population: 200_000, deprivation: 30 }),
    ];
    expect(nearestNeighbours(candidates, 'a', ['population', 'deprivation'], 1)[0]!.code).toBe('C');
  });

  it('leaves out organisations missing an attribute, and the anchor itself', () => {
    const result = nearestNeighbours(
      [org('A', { p: 1, q: 1 }), org('B', { p: 2 }), org('C', { p: 3, q: 2 })],
      'a',
      ['p', 'q'],
      5,
    );
    expect(result.map((n) => n.code)).toEqual(['C']);
    expect(nearestNeighbours([org('A', { q: 1 })], 'a', ['p'], 5)).toEqual([]);
  });
});
