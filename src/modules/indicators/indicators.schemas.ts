/** Request and response shapes of indicators, shared by the API, the pages and the CLI. */
import { z } from 'zod';
import { nameText } from '../../web/text-fields.js';
import { PERIOD_TYPES } from './periods.js';
import { POLARITIES } from './statistics.js';
import { INDICATOR_CATEGORIES } from './indicators.tables.js';

export const indicatorInput = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, 'Enter a code')
      .max(40, 'The code must be 40 characters or fewer')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'The code may use letters, digits, dots, dashes and underscores')
      .transform((c) => c.toUpperCase()),
    title: nameText().min(1, 'Enter a title').max(200),
    unit: z.string().trim().min(1, 'Enter the unit, like % or £ per home').max(60),
    polarity: z.enum(POLARITIES, { error: 'Choose which way is better' }),
    target: z.number({ error: 'Enter the target as a number, like 95' }).finite().nullable().default(null),
    category: z.enum(INDICATOR_CATEGORIES, { error: 'Choose a category' }),
    serviceArea: z.string().trim().min(1, 'Enter the service area').max(100),
    periodType: z.enum(PERIOD_TYPES, { error: 'Choose the period type' }),
  })
  .superRefine((value, ctx) => {
    if ((value.polarity === 'target') !== (value.target !== null))
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message:
          value.polarity === 'target'
            ? 'Enter the target for an indicator where closer to a target is better'
            : 'Only an indicator where closer to a target is better has a target',
      });
  });
export type IndicatorInput = z.infer<typeof indicatorInput>;

/** The "Define an indicator" form: the API's fields as strings; a blank target is none. */
export const indicatorForm = z.preprocess((raw) => {
  const form = (raw ?? {}) as Record<string, unknown>;
  const target = typeof form.target === 'string' ? form.target.replace(/[,\s]/g, '') : '';
  return { ...form, target: target === '' ? null : Number.isFinite(Number(target)) ? Number(target) : form.target };
}, indicatorInput);

export const CATEGORY_LABELS = {
  performance: 'Performance',
  cost: 'Cost (value for money)',
  satisfaction: 'Satisfaction',
  context: 'Context',
} as const;

export const POLARITY_LABELS = {
  higher: 'Higher is better',
  lower: 'Lower is better',
  target: 'Closer to the target is better',
} as const;
