import { describe, expect, it } from 'vitest';
import { DEFAULT_JUDGEMENT_RULES, judgementRulesSchema, PERCENTAGE_BANDS_PRESET } from './judgement-rules.js';

/** The field → message pairs of a failed parse. */
function problems(input: unknown): [string, string][] {
  const result = judgementRulesSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('judgement rules', () => {
  it('defaults to the documented parameters', () => {
    expect(DEFAULT_JUDGEMENT_RULES).toEqual({
      kloe: { promisingThreshold: 0.75, uncertainThreshold: 0.5, partlyMetWeight: 0.5, minimumJudgedShare: 1 },
      rollUp: { method: 'best-fit' },
    });
    expect(judgementRulesSchema.parse({})).toEqual(DEFAULT_JUDGEMENT_RULES);
  });

  it('fills in whatever a set of rules leaves out', () => {
    expect(judgementRulesSchema.parse({ kloe: { promisingThreshold: 0.8 } })).toEqual({
      ...DEFAULT_JUDGEMENT_RULES,
      kloe: { ...DEFAULT_JUDGEMENT_RULES.kloe, promisingThreshold: 0.8 },
    });
  });

  it('accepts the percentage-bands preset and the ends of every share', () => {
    expect(judgementRulesSchema.parse({ rollUp: PERCENTAGE_BANDS_PRESET }).rollUp).toEqual(PERCENTAGE_BANDS_PRESET);
    const ends = { promisingThreshold: 1, uncertainThreshold: 0, partlyMetWeight: 0, minimumJudgedShare: 0 };
    expect(judgementRulesSchema.parse({ kloe: ends }).kloe).toEqual(ends);
  });

  it.each([
    [
      { kloe: { promisingThreshold: 1.01 } },
      'kloe.promisingThreshold',
      'kloe.promisingThreshold must be a share between 0 and 1',
    ],
    [
      { kloe: { uncertainThreshold: -0.01 } },
      'kloe.uncertainThreshold',
      'kloe.uncertainThreshold must be a share between 0 and 1',
    ],
    [
      { kloe: { partlyMetWeight: '0.5' } },
      'kloe.partlyMetWeight',
      'kloe.partlyMetWeight must be a share between 0 and 1',
    ],
    [
      { kloe: { minimumJudgedShare: NaN } },
      'kloe.minimumJudgedShare',
      'kloe.minimumJudgedShare must be a share between 0 and 1',
    ],
    [{ kloe: { promisingTreshold: 0.8 } }, 'kloe', 'Unrecognized key: "promisingTreshold"'],
    [{ rollUp: { method: 'average' } }, 'rollUp.method', 'rollUp.method must be "best-fit" or "percentage-bands"'],
    [{ rollUp: { method: 'percentage-bands' } }, 'rollUp.bands', 'rollUp.bands must map rating level ids to shares'],
    [
      { rollUp: { method: 'percentage-bands', bands: {} } },
      'rollUp.bands',
      'rollUp.bands must give a share for at least one level',
    ],
    [
      { rollUp: { method: 'percentage-bands', bands: { promising: 75 } } },
      'rollUp.bands.promising',
      'rollUp.bands: each band must be a share between 0 and 1',
    ],
    [
      { rollUp: { method: 'percentage-bands', bands: { Promising: 0.75 } } },
      'rollUp.bands.Promising',
      'rollUp.bands: each key must be a rating level id, such as "promising"',
    ],
    [{ rollUp: { method: 'best-fit', bands: { promising: 0.75 } } }, 'rollUp', 'Unrecognized key: "bands"'],
  ])('rejects %j, naming the field', (input, path, message) => {
    expect(problems(input)).toEqual([[path, message]]);
  });
});
