/**
 * A small seeded pseudo-random generator (mulberry32) for demo data: the same seed gives the same
 * figures on every machine and every run, which Math.random cannot.
 */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** A number in [min, max), rounded to the given decimal places. */
  between(min: number, max: number, decimals?: number): number;
  /** One of the items. */
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  return {
    next,
    between(min, max, decimals = 0) {
      const factor = 10 ** decimals;
      return Math.round((min + next() * (max - min)) * factor) / factor;
    },
    pick(items) {
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
