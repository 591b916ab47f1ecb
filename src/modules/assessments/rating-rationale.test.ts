import { describe, expect, it } from 'vitest';
import { departsUnexplained, moderationRefusal, nextRationale } from './rating-rationale.js';

const before = { finalRating: 'uncertain', rationale: 'Plans are not funded', rationaleSuggested: 'promising' };

describe('a rating and its rationale', () => {
  it('keeps the rationale while the rating stays, and drops it when the rating changes without a new one', () => {
    expect(nextRationale(before, 'uncertain', undefined, 'poor')).toEqual({
      rationale: 'Plans are not funded',
      rationaleSuggested: 'promising',
    });
    expect(nextRationale(before, 'poor', undefined, 'promising')).toEqual({
      rationale: null,
      rationaleSuggested: null,
    });
  });

  it('records a new rationale against the suggestion of the moment; the old text sent back re-confirms nothing', () => {
    expect(nextRationale(before, 'uncertain', 'Funding still not agreed', 'poor')).toEqual({
      rationale: 'Funding still not agreed',
      rationaleSuggested: 'poor',
    });
    expect(nextRationale(before, 'uncertain', 'Plans are not funded', 'poor').rationaleSuggested).toBe('promising');
  });

  it('flags a departure from the suggestion unless its rationale was written against that suggestion', () => {
    expect(departsUnexplained(before, 'promising')).toBe(false);
    expect(departsUnexplained(before, 'poor')).toBe(true);
    expect(departsUnexplained(before, 'uncertain')).toBe(false);
    expect(departsUnexplained({ ...before, rationale: null }, 'promising')).toBe(true);
    expect(departsUnexplained({ finalRating: null, rationale: null, rationaleSuggested: null }, 'poor')).toBe(false);
  });

  it('in moderation, refuses any rating change and a rationale from anyone but the lead', () => {
    expect(moderationRefusal('moderation', { rating: true, rationale: true }, true)?.code).toBe(
      'rating_locked_in_moderation',
    );
    expect(moderationRefusal('moderation', { rating: false, rationale: true }, false)?.status).toBe(409);
    expect(moderationRefusal('moderation', { rating: false, rationale: true }, true)).toBeUndefined();
    expect(moderationRefusal('fieldwork', { rating: true, rationale: true }, false)).toBeUndefined();
  });
});
