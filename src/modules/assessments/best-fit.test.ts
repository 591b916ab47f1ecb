import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFrameworksFolder } from '../../paths.js';
import { frameworkDocumentSchema, type RatingLevel } from '../frameworks/framework.model.js';
import { findKloe } from '../frameworks/framework.tree.js';
import { JUDGEMENT_2_RATING_SCALE } from '../frameworks/built-in-framework.js';
import type { FindingOutcome } from './assessments.tables.js';
import { driversByStatement, suggestKloeRating, type KloeRatingInput, type KloeStatement } from './best-fit.js';
import { DEFAULT_JUDGEMENT_RULES, type KloeRules } from '../frameworks/judgement-rules.js';

/** One letter per statement: met, partly met, not met, "not_judged" recorded, no finding at all. */
const OUTCOMES: Record<string, FindingOutcome | undefined> = {
  m: 'met',
  p: 'partly_met',
  n: 'not_met',
  '-': 'not_judged',
  '.': undefined,
};

/** A KLOE "9.9" whose descriptors hold one statement per letter: `{ P: 'mmpn', U: 'mmmm' }`. */
function kloe(findings: { P?: string; U?: string }, exceeded = false): KloeRatingInput {
  const statements: KloeStatement[] = [];
  const outcomes = new Map<string, FindingOutcome>();
  for (const [code, level] of [
    ['P', 'promising'],
    ['U', 'uncertain'],
  ] as const) {
    [...(findings[code] ?? '')].forEach((letter, index) => {
      const ref = `9.9-${code}${index + 1}`;
      statements.push({ ref, level, text: `statement ${ref}` });
      const outcome = OUTCOMES[letter];
      if (outcome) outcomes.set(ref, outcome);
    });
  }
  return { ratingScale: JUDGEMENT_2_RATING_SCALE, statements, findings: outcomes, exceeded };
}

function suggest(
  findings: { P?: string; U?: string },
  options: { exceeded?: boolean; rules?: Partial<KloeRules> } = {},
) {
  return suggestKloeRating(kloe(findings, options.exceeded), { ...DEFAULT_JUDGEMENT_RULES.kloe, ...options.rules });
}

/** The drivers as "ref finding effect" lines, easy to read in a failing test. */
function driverLines(findings: { P?: string; U?: string }, options: { exceeded?: boolean } = {}) {
  return suggest(findings, options).drivers.map((d) => `${d.ref} ${d.finding} ${d.effect}`);
}

describe('the score of a descriptor', () => {
  it('counts met as 1, partly met at partlyMetWeight and not met as 0, over the judged statements', () => {
    expect(suggest({ P: 'mmpn', U: 'mmmm' }).scores).toEqual({
      promising: { met: 2, partlyMet: 1, notMet: 1, judged: 4, total: 4, score: 0.625 },
      uncertain: { met: 4, partlyMet: 0, notMet: 0, judged: 4, total: 4, score: 1 },
    });
  });

  it('takes the weight of a partly met statement from the rules', () => {
    expect(suggest({ P: 'mmpp', U: 'mmmm' }).scores.promising!.score).toBe(0.75);
    expect(suggest({ P: 'mmpp', U: 'mmmm' }).rating).toBe('promising');
    expect(suggest({ P: 'mmpp', U: 'mmmm' }, { rules: { partlyMetWeight: 0.4 } }).rating).toBe('uncertain');
    expect(suggest({ P: 'nnnn', U: 'pppp' }, { rules: { partlyMetWeight: 0 } }).rating).toBe('poor');
    expect(suggest({ P: 'nnnn', U: 'pppp' }).rating).toBe('uncertain');
    expect(suggest({ P: 'mppp', U: 'mmmm' }, { rules: { partlyMetWeight: 0 } }).rating).toBe('uncertain');
    expect(suggest({ P: 'mppp', U: 'mmmm' }, { rules: { partlyMetWeight: 1 } }).rating).toBe('promising');
  });

  it('leaves unjudged statements out of the score, whether recorded as not judged or not recorded at all', () => {
    const result = suggest({ P: 'mm-.', U: 'mmmm' }, { rules: { minimumJudgedShare: 0.75 } });
    expect(result.scores.promising).toEqual({ met: 2, partlyMet: 0, notMet: 0, judged: 2, total: 4, score: 1 });
    // Counted as not met they would make 0.5: uncertain.
    expect(result.rating).toBe('promising');
    expect(result.reasons[0]).toBe(
      '2 of 2 judged promising statements are met, with 2 not yet judged (score 1, threshold 0.75).',
    );
  });
});

describe('the thresholds', () => {
  it('suggests promising when the promising score is exactly the threshold', () => {
    const result = suggest({ P: 'mmmn', U: 'mmmm' });
    expect(result.rating).toBe('promising');
    expect(result.reasons).toEqual(['3 of 4 promising statements are met (score 0.75, threshold 0.75).']);
  });

  it('does not suggest promising just below the threshold', () => {
    const fifteen = suggest({ P: 'm'.repeat(15) + 'n'.repeat(5), U: 'mmmm' });
    expect([fifteen.scores.promising!.score, fifteen.rating]).toEqual([0.75, 'promising']);
    const justBelow = suggest({ P: 'm'.repeat(14) + 'p' + 'n'.repeat(5), U: 'mmmm' });
    expect([justBelow.scores.promising!.score, justBelow.rating]).toEqual([0.725, 'uncertain']);
    expect(justBelow.reasons[0]).toBe(
      '14 of 20 promising statements are met and 1 partly met (score 0.73, below the threshold 0.75).',
    );
  });

  it('shows enough decimals to tell a score from a threshold it misses', () => {
    const result = suggest({ P: 'mmmn', U: 'mmmm' }, { rules: { promisingThreshold: 0.7501 } });
    expect(result.rating).toBe('uncertain');
    expect(result.reasons[0]).toBe('3 of 4 promising statements are met (score 0.75, below the threshold 0.7501).');
  });

  it('suggests uncertain when the uncertain score is exactly the threshold, poor just below it', () => {
    expect(suggest({ P: 'nnnn', U: 'mmnn' }).rating).toBe('uncertain');
    const ten = suggest({ P: 'nnnn', U: 'm'.repeat(10) + 'n'.repeat(10) });
    expect([ten.scores.uncertain!.score, ten.rating]).toEqual([0.5, 'uncertain']);
    const justBelow = suggest({ P: 'nnnn', U: 'm'.repeat(9) + 'p' + 'n'.repeat(10) });
    expect([justBelow.scores.uncertain!.score, justBelow.rating]).toEqual([0.475, 'poor']);
  });

  it('says why at each level it passes on the way down', () => {
    expect(suggest({ P: 'mpnn', U: 'mpnn' }).reasons).toEqual([
      '1 of 4 promising statements is met and 1 partly met (score 0.38, below the threshold 0.75).',
      '1 of 4 uncertain statements is met and 1 partly met (score 0.38, below the threshold 0.5).',
      'The findings fall short even of the uncertain descriptor.',
    ]);
    expect(suggest({ P: 'n', U: 'm' }).reasons).toEqual([
      '0 of 1 promising statement is met (score 0, below the threshold 0.75).',
      '1 of 1 uncertain statement is met (score 1, threshold 0.5).',
    ]);
  });

  it('follows custom thresholds', () => {
    expect(suggest({ P: 'mmnn', U: 'mmmm' }).rating).toBe('uncertain');
    expect(suggest({ P: 'mmnn', U: 'mmmm' }, { rules: { promisingThreshold: 0.5 } }).rating).toBe('promising');
    expect(suggest({ P: 'nnnn', U: 'mmmn' }).rating).toBe('uncertain');
    expect(suggest({ P: 'nnnn', U: 'mmmn' }, { rules: { uncertainThreshold: 0.8 } }).rating).toBe('poor');
  });
});

describe('excellent', () => {
  it('is not suggested when every promising statement is met but the service is not marked as exceeding them', () => {
    const result = suggest({ P: 'mmmm', U: 'mmmm' });
    expect(result.rating).toBe('promising');
    expect(result.reasons).toEqual([
      '4 of 4 promising statements are met (score 1, threshold 0.75).',
      'Every promising statement is met; excellent also needs the service marked as exceeding them.',
    ]);
  });

  it('is suggested when every promising statement is met and the service is marked as exceeding them', () => {
    const result = suggest({ P: 'mmmm', U: 'mmmm' }, { exceeded: true });
    expect(result.rating).toBe('excellent');
    expect(result.reasons[1]).toBe('All promising statements are met and the service is marked as exceeding them.');
  });

  it('is not suggested when one promising statement is only partly met, even marked as exceeding', () => {
    const result = suggest({ P: 'mmmp', U: 'mmmm' }, { exceeded: true });
    expect(result.rating).toBe('promising');
    expect(result.reasons[1]).toBe(
      'The service is marked as exceeding the promising descriptor, but excellent needs every promising statement met (1 partly met).',
    );
  });

  it('needs every promising statement judged, not just every judged one met', () => {
    const result = suggest({ P: 'mmm.', U: 'mmmm' }, { exceeded: true, rules: { minimumJudgedShare: 0.5 } });
    expect(result.rating).toBe('promising');
    expect(result.reasons[1]).toContain('needs every promising statement met (1 not yet judged)');
  });

  it('is not suggested from a failing descriptor, whatever the mark', () => {
    expect(suggest({ P: 'mnnn', U: 'mmmm' }, { exceeded: true }).rating).toBe('uncertain');
  });
});

describe('before enough is judged', () => {
  it('suggests nothing until every statement is judged, by default, and says how many are left', () => {
    const result = suggest({ P: 'mmmm', U: 'mmm.' });
    expect(result).toMatchObject({
      rating: null,
      reasons: ['1 of 8 statements is not yet judged; a rating is suggested once every statement is judged.'],
      drivers: [],
    });
    expect(result.scores.uncertain).toMatchObject({ judged: 3, total: 4 });
    expect(suggest({ P: 'mmmm', U: 'mm--' }).reasons).toEqual([
      '2 of 8 statements are not yet judged; a rating is suggested once every statement is judged.',
    ]);
  });

  it('suggests once minimumJudgedShare of the statements are judged, and not one short of it', () => {
    const rules = { minimumJudgedShare: 0.75 };
    expect(suggest({ P: 'mmmm', U: 'mm..' }, { rules }).rating).toBe('promising');
    expect(suggest({ P: 'mmmm', U: 'm...' }, { rules })).toMatchObject({
      rating: null,
      reasons: ['3 of 8 statements are not yet judged; a rating is suggested once at least 75% of them are judged.'],
    });
  });

  it('suggests nothing when the walk reaches a descriptor with nothing judged', () => {
    const rules = { minimumJudgedShare: 0 };
    expect(suggest({ P: '....', U: 'mmmm' }, { rules })).toMatchObject({
      rating: null,
      reasons: ['None of the 4 promising statements is judged yet, so no rating can be suggested.'],
    });
    // Promising is missed, and the service may yet fit uncertain: not poor.
    expect(suggest({ P: 'nnnn', U: '....' }, { rules }).rating).toBeNull();
    // Promising fits: the unjudged uncertain statements cannot change that.
    expect(suggest({ P: 'mmmm', U: '....' }, { rules }).rating).toBe('promising');
  });
});

describe('a KLOE without a descriptor', () => {
  it('cannot be promising or excellent without promising statements, and says so', () => {
    const result = suggest({ U: 'mmmm' }, { exceeded: true });
    expect(result.rating).toBe('uncertain');
    expect(result.scores.promising).toEqual({ met: 0, partlyMet: 0, notMet: 0, judged: 0, total: 0, score: null });
    expect(result.reasons).toEqual([
      'This KLOE has no promising statements, so neither excellent nor promising can be suggested from the findings.',
      '4 of 4 uncertain statements are met (score 1, threshold 0.5).',
    ]);
    expect(suggest({ U: 'mnnn' }).rating).toBe('poor');
  });

  it('falls short of promising alone when it has no uncertain statements', () => {
    const result = suggest({ P: 'mnnn' });
    expect(result.rating).toBe('poor');
    expect(result.reasons.at(-1)).toBe('The findings fall short even of the promising descriptor.');
    expect(result.drivers.map((d) => d.ref)).toEqual(['9.9-P2', '9.9-P3', '9.9-P4']);
  });

  it('suggests nothing for a KLOE with no statements', () => {
    expect(suggest({})).toMatchObject({
      rating: null,
      reasons: ['This KLOE has no statements to judge, so no rating can be suggested from findings.'],
    });
  });

  it('refuses a statement under a level that takes no descriptor', () => {
    const input = kloe({ P: 'm' });
    const statements = [...input.statements, { ref: '9.9-E1', level: 'excellent', text: 'more' }];
    expect(() => suggestKloeRating({ ...input, statements }, DEFAULT_JUDGEMENT_RULES.kloe)).toThrow(
      'Statement 9.9-E1 is under "excellent", which is not a descriptor level of the scale',
    );
  });
});

describe('the drivers', () => {
  it('of excellent: every promising statement', () => {
    expect(driverLines({ P: 'mmm', U: 'mnn' }, { exceeded: true })).toEqual([
      '9.9-P1 met supports',
      '9.9-P2 met supports',
      '9.9-P3 met supports',
    ]);
  });

  it('of promising: the promising statements met or partly met support, those partly or not met hold back', () => {
    const result = suggest({ P: 'mmmmpn', U: 'nnnn' });
    expect([result.rating, result.scores.promising!.score]).toEqual(['promising', 0.75]);
    expect(driverLines({ P: 'mmmmpn', U: 'nnnn' })).toEqual([
      '9.9-P1 met supports',
      '9.9-P2 met supports',
      '9.9-P3 met supports',
      '9.9-P4 met supports',
      '9.9-P5 partly_met supports',
      '9.9-P5 partly_met holds back',
      '9.9-P6 not_met holds back',
    ]);
  });

  it('of uncertain: the uncertain statements that support it, the promising ones that held it back', () => {
    expect(driverLines({ P: 'mpnn', U: 'mmpn' })).toEqual([
      '9.9-U1 met supports',
      '9.9-U2 met supports',
      '9.9-U3 partly_met supports',
      '9.9-P2 partly_met holds back',
      '9.9-P3 not_met holds back',
      '9.9-P4 not_met holds back',
    ]);
  });

  it('of poor: the uncertain statements partly or not met', () => {
    expect(driverLines({ P: 'mnnn', U: 'mpnn' })).toEqual([
      '9.9-U2 partly_met holds back',
      '9.9-U3 not_met holds back',
      '9.9-U4 not_met holds back',
    ]);
  });

  it('carry the level and text of each statement', () => {
    expect(suggest({ P: 'n', U: 'm' }).drivers).toEqual([
      {
        ref: '9.9-U1',
        level: 'uncertain',
        text: 'statement 9.9-U1',
        finding: 'met',
        effect: 'supports',
        rating: 'uncertain',
      },
      {
        ref: '9.9-P1',
        level: 'promising',
        text: 'statement 9.9-P1',
        finding: 'not_met',
        effect: 'holds back',
        rating: 'promising',
      },
    ]);
  });

  it('a statement at a time: a partly met promising statement once, supporting promising and holding back from excellent', () => {
    const result = suggest({ P: 'mmmmpn', U: 'nnnn' });
    const once = driversByStatement(result.drivers, JUDGEMENT_2_RATING_SCALE);
    expect(once.map((d) => `${d.ref} ${d.finding}: ${d.does}`)).toEqual([
      '9.9-P1 met: supports promising',
      '9.9-P2 met: supports promising',
      '9.9-P3 met: supports promising',
      '9.9-P4 met: supports promising',
      '9.9-P5 partly_met: supports promising and holds back from excellent',
      '9.9-P6 not_met: holds back from excellent',
    ]);
    expect(once.filter((d) => d.ref === '9.9-P5')).toHaveLength(1);
  });

  it('a statement at a time: of uncertain, the promising ones hold back from promising; of poor, from uncertain', () => {
    const lines = (findings: Record<string, string>) =>
      driversByStatement(suggest(findings).drivers, JUDGEMENT_2_RATING_SCALE).map((d) => `${d.ref}: ${d.does}`);
    expect(lines({ P: 'mpnn', U: 'mmpn' })).toEqual([
      '9.9-U1: supports uncertain',
      '9.9-U2: supports uncertain',
      '9.9-U3: supports uncertain',
      '9.9-P2: holds back from promising',
      '9.9-P3: holds back from promising',
      '9.9-P4: holds back from promising',
    ]);
    expect(lines({ P: 'mnnn', U: 'mpnn' })).toEqual([
      '9.9-U2: holds back from uncertain',
      '9.9-U3: holds back from uncertain',
      '9.9-U4: holds back from uncertain',
    ]);
  });
});

describe('another rating scale', () => {
  const level = (id: string, hasDescriptor: boolean): RatingLevel => ({
    id,
    label: id[0]!.toUpperCase() + id.slice(1),
    code: id[0]!.toUpperCase(),
    description: id,
    hasDescriptor,
  });
  const scale = [level('outstanding', false), level('good', true), level('fair', true), level('weak', true)];
  const input = (good: FindingOutcome, fair: FindingOutcome, weak: FindingOutcome, exceeded = false) => ({
    ratingScale: scale,
    statements: [
      { ref: 'G1', level: 'good', text: 'g' },
      { ref: 'F1', level: 'fair', text: 'f' },
      { ref: 'W1', level: 'weak', text: 'w' },
    ],
    findings: new Map([
      ['G1', good],
      ['F1', fair],
      ['W1', weak],
    ]),
    exceeded,
  });
  const rules = DEFAULT_JUDGEMENT_RULES.kloe;

  it('walks every descriptor level in order, taking the level names from the scale', () => {
    expect(suggestKloeRating(input('met', 'met', 'met', true), rules).rating).toBe('outstanding');
    expect(suggestKloeRating(input('not_met', 'partly_met', 'met'), rules).rating).toBe('fair');
    expect(suggestKloeRating(input('not_met', 'not_met', 'partly_met'), rules).rating).toBe('weak');
  });

  it('gives the worst level when the findings fall short of it and nothing lies below', () => {
    const result = suggestKloeRating(input('not_met', 'not_met', 'not_met'), rules);
    expect(result.rating).toBe('weak');
    expect(result.reasons.at(-1)).toBe('The findings fall short even of the weak descriptor.');
  });
});

describe('on the built-in framework', () => {
  const doc = frameworkDocumentSchema.parse(
    JSON.parse(fs.readFileSync(path.join(builtinFrameworksFolder, 'audit-commission-j2.json'), 'utf8')),
  );
  const leaf = findKloe(doc, '5.2.4')!;
  const statements = leaf.kloe.descriptors.flatMap((d) => d.statements.map((s) => ({ ...s, level: d.level })));

  it('suggests a rating for KLOE 5.2.4 from findings on its real statements', () => {
    const findings = new Map<string, FindingOutcome>(
      statements.map((s) => [s.ref, s.ref === '5.2.4-P4' ? 'partly_met' : 'met']),
    );
    const result = suggestKloeRating(
      { ratingScale: doc.ratingScale, statements, findings, exceeded: true },
      DEFAULT_JUDGEMENT_RULES.kloe,
    );
    expect(statements.map((s) => s.ref)).toEqual([
      ...['5.2.4-P1', '5.2.4-P2', '5.2.4-P3', '5.2.4-P4'],
      ...['5.2.4-U1', '5.2.4-U2', '5.2.4-U3', '5.2.4-U4'],
    ]);
    expect(result.rating).toBe('promising');
    expect(result.reasons).toEqual([
      '3 of 4 promising statements are met and 1 partly met (score 0.88, threshold 0.75).',
      'The service is marked as exceeding the promising descriptor, but excellent needs every promising statement met (1 partly met).',
    ]);
    expect(result.drivers.filter((d) => d.effect === 'holds back')).toEqual([
      {
        ref: '5.2.4-P4',
        level: 'promising',
        text: 'learns from its own experiences and from that of others, as a result of:',
        finding: 'partly_met',
        effect: 'holds back',
        rating: 'excellent',
      },
    ]);
  });
});
