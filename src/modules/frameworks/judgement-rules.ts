/**
 * The parameters of the judgement rules: how findings on statements become a suggested KLOE rating
 * (best-fit.ts) and how KLOE ratings roll up to key questions and the overall judgement (roll-up.ts).
 *
 * Every parameter has a default, so `judgementRulesSchema.parse({})` gives DEFAULT_JUDGEMENT_RULES and a
 * stored or submitted set of rules need only name what it changes. Unknown keys are rejected rather than
 * ignored: a misspelt threshold must not silently fall back to its default. Every message names its field.
 */
import { z } from 'zod';

/**
 * A rating level id, as framework.model.ts spells it. Repeated rather than imported: the framework model
 * embeds these rules, and an import back would be a cycle that leaves one of the two schemas undefined.
 */
const levelId = z.string().regex(/^[a-z][a-z0-9-]*$/);

/** A proportion: 0.75 means three quarters. */
const share = (field: string) => {
  const message = `${field} must be a share between 0 and 1`;
  return z.number({ error: message }).min(0, message).max(1, message);
};

export const kloeRulesSchema = z.strictObject({
  /**
   * The score the best descriptor level (Judgement 2: promising) needs. 0.75 reads the descriptor's
   * "predominantly met": three quarters of its statements met, or the equivalent with partly met ones.
   */
  promisingThreshold: share('kloe.promisingThreshold').default(0.75),
  /** The score each lower descriptor level (Judgement 2: uncertain) needs; below it, the service falls short. */
  uncertainThreshold: share('kloe.uncertainThreshold').default(0.5),
  /** What a partly met statement counts for in a score, where met counts 1 and not met 0. */
  partlyMetWeight: share('kloe.partlyMetWeight').default(0.5),
  /**
   * The share of a KLOE's statements that must be judged before a rating is suggested. The default, 1,
   * waits for every statement: a suggestion from half the evidence would look more certain than it is.
   */
  minimumJudgedShare: share('kloe.minimumJudgedShare').default(1),
});

const bestFitRollUpSchema = z.strictObject({
  /** The median of the ratings, the worse of the two middle ones when their number is even. */
  method: z.literal('best-fit'),
});

const percentageBandsRollUpSchema = z.strictObject({
  /** The best level L whose band is met: at least that share of the ratings are L or better. */
  method: z.literal('percentage-bands'),
  /**
   * Level id → share. A level without a band is never chosen by the bands; the worst level is the fallback
   * when no band is met, so it needs none.
   */
  bands: z
    .record(levelId, share('rollUp.bands: each band'), {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'rollUp.bands: each key must be a rating level id, such as "promising"'
          : 'rollUp.bands must map rating level ids to shares',
    })
    .refine((bands) => Object.keys(bands).length > 0, 'rollUp.bands must give a share for at least one level'),
});

export const rollUpRuleSchema = z.discriminatedUnion('method', [bestFitRollUpSchema, percentageBandsRollUpSchema], {
  error: 'rollUp.method must be "best-fit" or "percentage-bands"',
});

export const judgementRulesSchema = z.strictObject({
  kloe: kloeRulesSchema.prefault({}),
  rollUp: rollUpRuleSchema.default({ method: 'best-fit' }),
});

export type KloeRules = z.infer<typeof kloeRulesSchema>;
export type RollUpRule = z.infer<typeof rollUpRuleSchema>;
export type JudgementRules = z.infer<typeof judgementRulesSchema>;
/** What may be stored or submitted: any parameter left out takes its default. */
export type JudgementRulesInput = z.input<typeof judgementRulesSchema>;

export const DEFAULT_JUDGEMENT_RULES: JudgementRules = judgementRulesSchema.parse({});

/**
 * Bands for Judgement 2: excellent when three quarters of the ratings are excellent, promising when three
 * quarters are promising or better, uncertain when half are uncertain or better; otherwise poor.
 */
export const PERCENTAGE_BANDS_PRESET: Extract<RollUpRule, { method: 'percentage-bands' }> = {
  method: 'percentage-bands',
  bands: { excellent: 0.75, promising: 0.75, uncertain: 0.5 },
};
