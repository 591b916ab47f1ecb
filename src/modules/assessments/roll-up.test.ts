import { describe, expect, it } from 'vitest';
import { JUDGEMENT_2_RATING_SCALE } from '../frameworks/built-in-framework.js';
import { PERCENTAGE_BANDS_PRESET, type RollUpRule } from '../frameworks/judgement-rules.js';
import { rollUpRatings } from './roll-up.js';

const scale = JUDGEMENT_2_RATING_SCALE;
const bestFit: RollUpRule = { method: 'best-fit' };

/** `repeat(3, 'excellent')` → three excellent ratings. */
const repeat = (n: number, rating: string | null) => Array.from({ length: n }, () => rating);

const bestFitOf = (ratings: (string | null)[]) => rollUpRatings(ratings, scale, bestFit).rating;
const bandsOf = (ratings: (string | null)[]) => rollUpRatings(ratings, scale, PERCENTAGE_BANDS_PRESET).rating;

describe('best-fit roll-up', () => {
  it('takes the median of an odd number of ratings, by position on the scale', () => {
    expect(bestFitOf(['excellent', 'promising', 'uncertain'])).toBe('promising');
    expect(bestFitOf(['uncertain', 'excellent', 'promising'])).toBe('promising');
    expect(bestFitOf(['poor', 'excellent', 'poor', 'excellent', 'excellent'])).toBe('excellent');
    expect(bestFitOf(['uncertain'])).toBe('uncertain');
  });

  it('takes the worse of the two middle ratings when there is an even number of them', () => {
    expect(bestFitOf(['excellent', 'poor'])).toBe('poor');
    expect(bestFitOf(['excellent', 'excellent', 'promising', 'uncertain'])).toBe('promising');
    expect(bestFitOf(['excellent', 'promising', 'promising', 'poor'])).toBe('promising');
  });

  it('reads a tie between two levels cautiously, and says so', () => {
    const result = rollUpRatings(['uncertain', 'promising', 'uncertain', 'promising'], scale, bestFit);
    expect(result).toEqual({
      rating: 'uncertain',
      reasons: [
        '4 rated: 2 promising and 2 uncertain.',
        'The median of 4 ratings falls between promising and uncertain; the cautious reading takes the worse, uncertain.',
      ],
      counts: { excellent: 0, promising: 2, uncertain: 2, poor: 0 },
      unrated: 0,
    });
  });

  it('counts the unrated and says so, but does not let them vote', () => {
    const result = rollUpRatings(['promising', null, 'promising', null, 'poor'], scale, bestFit);
    expect(result).toEqual({
      rating: 'promising',
      reasons: [
        '3 rated: 2 promising and 1 poor.',
        '2 of 5 are not yet rated and do not count.',
        'The median of 3 ratings is promising.',
      ],
      counts: { excellent: 0, promising: 2, uncertain: 0, poor: 1 },
      unrated: 2,
    });
    expect(rollUpRatings(['poor', null], scale, bestFit).reasons).toEqual([
      '1 rated: 1 poor.',
      '1 of 2 is not yet rated and does not count.',
      'The median of 1 rating is poor.',
    ]);
  });

  it('suggests nothing when nothing is rated', () => {
    expect(rollUpRatings([null, null, null], scale, bestFit)).toEqual({
      rating: null,
      reasons: ['None of the 3 is rated yet, so no rating can be suggested.'],
      counts: { excellent: 0, promising: 0, uncertain: 0, poor: 0 },
      unrated: 3,
    });
    expect(rollUpRatings([], scale, bestFit)).toMatchObject({
      rating: null,
      reasons: ['There are no ratings to roll up.'],
      unrated: 0,
    });
  });

  it('refuses a rating that is not a level of the scale', () => {
    expect(() => rollUpRatings(['good'], scale, bestFit)).toThrow(
      '"good" is not a level of the rating scale (excellent, promising, uncertain, poor)',
    );
  });
});

describe('percentage-bands roll-up', () => {
  it('gives excellent when exactly three quarters are excellent, not when just fewer are', () => {
    expect(bandsOf(['excellent', 'excellent', 'excellent', 'promising'])).toBe('excellent');
    expect(bandsOf([...repeat(15, 'excellent'), ...repeat(5, 'poor')])).toBe('excellent');
    // 14 of 20: short of excellent (75%) and of promising or better (75%), enough for uncertain or better (50%).
    expect(bandsOf([...repeat(14, 'excellent'), ...repeat(6, 'poor')])).toBe('uncertain');
  });

  it('gives promising when three quarters are promising or better', () => {
    const result = rollUpRatings(['excellent', 'excellent', 'promising', 'uncertain'], scale, PERCENTAGE_BANDS_PRESET);
    expect(result.rating).toBe('promising');
    expect(result.reasons).toEqual([
      '4 rated: 2 excellent, 1 promising and 1 uncertain.',
      '2 of 4 (50%) are excellent, short of the excellent band of 75%.',
      '3 of 4 (75%) are promising or better, meeting the promising band of 75%.',
    ]);
  });

  it('gives uncertain when exactly half are uncertain or better, poor when fewer are', () => {
    expect(bandsOf(['uncertain', 'promising', 'poor', 'poor'])).toBe('uncertain');
    const result = rollUpRatings(['uncertain', 'poor', 'poor', 'poor'], scale, PERCENTAGE_BANDS_PRESET);
    expect(result.rating).toBe('poor');
    expect(result.reasons.slice(-2)).toEqual([
      '1 of 4 (25%) is uncertain or better, short of the uncertain band of 50%.',
      'No band is met, so the rating is the worst level, poor.',
    ]);
  });

  it('leaves the unrated out of the shares', () => {
    expect(bandsOf(['excellent', 'excellent', 'excellent', 'promising', null, null])).toBe('excellent');
    expect(rollUpRatings([null], scale, PERCENTAGE_BANDS_PRESET).rating).toBeNull();
  });

  it('never gives a level that has no band, except the worst as the fallback', () => {
    const rule: RollUpRule = { method: 'percentage-bands', bands: { promising: 0.5 } };
    expect(rollUpRatings(['excellent', 'excellent', 'excellent', 'poor'], scale, rule).rating).toBe('promising');
    expect(rollUpRatings(['excellent', 'uncertain', 'uncertain', 'uncertain'], scale, rule).rating).toBe('poor');
  });

  it('can read the same ratings differently from best fit', () => {
    const ratings = ['excellent', 'excellent', 'excellent', 'promising', 'poor'];
    expect(bestFitOf(ratings)).toBe('excellent');
    expect(bandsOf(ratings)).toBe('promising');
  });

  it('refuses a band for a level the scale does not have', () => {
    const rule: RollUpRule = { method: 'percentage-bands', bands: { good: 0.5 } };
    expect(() => rollUpRatings(['promising'], scale, rule)).toThrow(
      'rollUp.bands names "good", which is not a level of the rating scale (excellent, promising, uncertain, poor)',
    );
  });
});
