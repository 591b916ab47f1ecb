/**
 * An organisation's numeric context (the attributes comparator groups are built from). Any attribute
 * may be stored through the API; the named ones below are what the forms ask for, and they keep their
 * own rules wherever they arrive from.
 */
import { z } from 'zod';
import type { ContextAttributes } from './organisations.tables.js';

export interface NamedAttribute {
  key: string;
  label: string;
  hint: string;
  example: string;
  wholeNumber: boolean;
}

export const NAMED_ATTRIBUTES: readonly NamedAttribute[] = [
  {
    key: 'population',
    label: 'Population',
    hint: 'People living in the area the organisation serves',
    example: '125000',
    wholeNumber: true,
  },
  {
    key: 'deprivationScore',
    label: 'Deprivation score',
    hint: 'Average score on the English Indices of Deprivation, for example 21.7',
    example: '21.7',
    wholeNumber: false,
  },
  {
    key: 'stockSize',
    label: 'Housing stock',
    hint: 'Homes the organisation owns or manages',
    example: '5400',
    wholeNumber: true,
  },
];

/** An attribute as a sentence names it: a named one by its label in lower case, any other by its key. */
export function attributeName(key: string): string {
  return NAMED_ATTRIBUTES.find((a) => a.key === key)?.label.toLowerCase() ?? key;
}

/** The rules of one named attribute's value, worded for the form field that asks for it. */
export function attributeNumber(attribute: NamedAttribute) {
  const noun = attribute.label.toLowerCase();
  const number = z
    .number({ error: `Enter the ${noun} as a number, like ${attribute.example}` })
    .min(0, `The ${noun} must be 0 or more`);
  return attribute.wholeNumber ? number.int(`Enter the ${noun} as a whole number, like ${attribute.example}`) : number;
}

/** Problems with the named attributes among some attribute values (null, a removal, is never a problem). */
export function namedAttributeProblems(values: Record<string, number | null>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  for (const attribute of NAMED_ATTRIBUTES) {
    const value = values[attribute.key];
    if (value === undefined || value === null) continue;
    const result = attributeNumber(attribute).safeParse(value);
    if (!result.success) problems.push({ path: [attribute.key], message: result.error.issues[0]!.message });
  }
  return problems;
}

/** The attributes after a change: numbers set, nulls remove, others stay. */
export function applyAttributeChanges(
  current: ContextAttributes,
  changes: Record<string, number | null>,
): ContextAttributes {
  const next: ContextAttributes = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });

/** Attributes as rows to show: the named ones first (with their labels), then any others by key. */
export function attributeRows(attributes: ContextAttributes): { key: string; label: string; text: string }[] {
  const row = (key: string, label: string) => ({ key, label, text: numberFormat.format(attributes[key]!) });
  const namedKeys = new Set(NAMED_ATTRIBUTES.map((a) => a.key));
  return [
    ...NAMED_ATTRIBUTES.filter((a) => attributes[a.key] !== undefined).map((a) => row(a.key, a.label)),
    ...Object.keys(attributes)
      .filter((key) => !namedKeys.has(key))
      .sort()
      .map((key) => row(key, key)),
  ];
}
