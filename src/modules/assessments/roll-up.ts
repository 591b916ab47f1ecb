/**
 * Rolling ratings up: the final ratings of a key question's KLOEs suggest the key question's rating, and
 * the key questions' ratings suggest the overall judgement. Pure. Levels are compared by their position on
 * the framework's rating scale (best first), never by name.
 *
 * - best-fit (the default): the median of the ratings. With an even number of them the median may fall
 *   between two levels; it then takes the worse of the two, the cautious reading: a key question is not
 *   called promising while half its KLOEs are uncertain.
 * - percentage-bands: the best level L whose band is met, that is, at least that share of the ratings are
 *   L or better; the worst level when no band is met. A level without a band is never chosen by a band.
 *
 * Entries not yet rated (null) are counted and said in the reasons but do not vote; with nothing rated
 * there is no suggestion.
 */
import type { RatingLevel } from '../frameworks/index.js';
import type { RollUpRule } from '../frameworks/index.js';

export interface RollUpResult {
  /** A level id of the scale, or null when nothing is rated yet. */
  rating: string | null;
  /** Plain English sentences: what was counted, then how the rule read it. */
  reasons: string[];
  /** How many ratings each level of the scale has, in scale order, zeros included. */
  counts: Record<string, number>;
  unrated: number;
}

export function rollUpRatings(
  ratings: readonly (string | null)[],
  ratingScale: readonly RatingLevel[],
  rule: RollUpRule,
): RollUpResult {
  const positions = ratings.filter((rating) => rating !== null).map((rating) => positionOf(rating, ratingScale));
  positions.sort((a, b) => a - b);
  const counts = Object.fromEntries(
    ratingScale.map((level, position) => [level.id, positions.filter((p) => p === position).length]),
  );
  const unrated = ratings.length - positions.length;
  if (positions.length === 0) {
    const reason =
      ratings.length === 0
        ? 'There are no ratings to roll up.'
        : `None of the ${ratings.length} is rated yet, so no rating can be suggested.`;
    return { rating: null, reasons: [reason], counts, unrated };
  }

  const reasons = [countsSentence(counts, ratingScale, positions.length)];
  if (unrated > 0) {
    const [verb, does] = unrated === 1 ? ['is', 'does'] : ['are', 'do'];
    reasons.push(`${unrated} of ${ratings.length} ${verb} not yet rated and ${does} not count.`);
  }
  const position =
    rule.method === 'best-fit'
      ? cautiousMedian(positions, ratingScale, reasons)
      : firstBandMet(positions, ratingScale, rule.bands, reasons);
  return { rating: ratingScale[position]!.id, reasons, counts, unrated };
}

/** A rating that is not a level of the scale means the caller mixed up frameworks: fail loudly. */
function positionOf(rating: string, ratingScale: readonly RatingLevel[]): number {
  const position = ratingScale.findIndex((level) => level.id === rating);
  if (position < 0) throw new Error(`"${rating}" is not a level of the rating scale (${idsOf(ratingScale)})`);
  return position;
}

/** `positions` sorted best first; with two middle ones, the worse of them. */
function cautiousMedian(positions: number[], ratingScale: readonly RatingLevel[], reasons: string[]): number {
  const n = positions.length;
  const upper = positions[Math.floor((n - 1) / 2)]!;
  const lower = positions[Math.floor(n / 2)]!;
  if (upper === lower) {
    reasons.push(`The median of ${plural(n, 'rating')} is ${nameOf(ratingScale[lower]!)}.`);
  } else {
    const [better, worse] = [nameOf(ratingScale[upper]!), nameOf(ratingScale[lower]!)];
    reasons.push(
      `The median of ${n} ratings falls between ${better} and ${worse}; the cautious reading takes the worse, ${worse}.`,
    );
  }
  return lower;
}

/** `positions` sorted best first: the best level whose band is met, else the worst level of the scale. */
function firstBandMet(
  positions: number[],
  ratingScale: readonly RatingLevel[],
  bands: Record<string, number>,
  reasons: string[],
): number {
  const stray = Object.keys(bands).find((id) => !ratingScale.some((level) => level.id === id));
  if (stray)
    throw new Error(`rollUp.bands names "${stray}", which is not a level of the rating scale (${idsOf(ratingScale)})`);
  const n = positions.length;
  for (const [position, level] of ratingScale.entries()) {
    const band = bands[level.id];
    if (band === undefined) continue;
    const count = positions.filter((p) => p <= position).length;
    const name = nameOf(level);
    const which = position === 0 ? name : `${name} or better`;
    // count / n, not count < band × n: 3/4 rounds to exactly the same number as a band written 0.75.
    const met = count / n >= band;
    const verdict = met
      ? `meeting the ${name} band of ${percent(band)}`
      : `short of the ${name} band of ${percent(band)}`;
    reasons.push(`${count} of ${n} (${percent(count / n)}) ${count === 1 ? 'is' : 'are'} ${which}, ${verdict}.`);
    if (met) return position;
  }
  const worst = ratingScale.length - 1;
  reasons.push(`No band is met, so the rating is the worst level, ${nameOf(ratingScale[worst]!)}.`);
  return worst;
}

/** "4 rated: 1 excellent, 2 promising and 1 uncertain." */
function countsSentence(counts: Record<string, number>, ratingScale: readonly RatingLevel[], rated: number): string {
  const parts = ratingScale.filter((level) => counts[level.id]! > 0).map((l) => `${counts[l.id]} ${nameOf(l)}`);
  const listed = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${rated} rated: ${listed}.`;
}

function nameOf(level: RatingLevel): string {
  return level.label.toLowerCase();
}

function idsOf(ratingScale: readonly RatingLevel[]): string {
  return ratingScale.map((level) => level.id).join(', ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
