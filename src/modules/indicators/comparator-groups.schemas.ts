/**
 * What creating a comparator group takes, shared by the API and the pages. Each kind needs its own
 * fields; the check names the missing one so the API's problem and the form's error point at it.
 */
import { z } from 'zod';
import { nameText } from '../../web/text-fields.js';
import { ORGANISATION_TYPES } from '../../db/schema.js';
import { COMPARATOR_KINDS } from './indicators.tables.js';

/** The most nearest neighbours a group keeps (CIPFA's groups have 15 or 16). */
export const MAX_NEIGHBOURS = 50;

export const comparatorGroupInput = z
  .object({
    name: nameText({ error: 'Enter a name for the group' })
      .min(1, 'Enter a name for the group')
      .max(120, 'The name must be 120 characters or fewer'),
    kind: z.enum(COMPARATOR_KINDS, { error: 'Choose the kind of group: type, list or nearest' }),
    organisationType: z.enum(ORGANISATION_TYPES, { error: 'Choose a type of organisation' }).optional(),
    /** Members of a list group, each an organisation's id or code. */
    organisations: z
      .array(z.string().trim().min(1, 'An organisation id or code is empty').max(40), {
        error: 'Give the organisations as a list of ids or codes',
      })
      .optional(),
    /** The organisation whose nearest neighbours make a nearest group: its id or code. */
    anchor: z.string().trim().min(1, 'Enter the organisation whose neighbours to find').max(40).optional(),
    size: z
      .number({ error: 'Enter how many neighbours as a whole number' })
      .int('Enter how many neighbours as a whole number')
      .min(1, 'A group needs at least 1 neighbour')
      .max(MAX_NEIGHBOURS, `A group may have at most ${MAX_NEIGHBOURS} neighbours`)
      .optional(),
  })
  .superRefine((value, ctx) => {
    const missing = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (value.kind === 'type' && !value.organisationType) missing('organisationType', 'Choose a type of organisation');
    if (value.kind === 'list' && new Set(value.organisations ?? []).size < 2)
      missing('organisations', 'Choose at least 2 different organisations');
    if (value.kind === 'nearest') {
      if (!value.anchor) missing('anchor', 'Enter the organisation whose neighbours to find');
      if (value.size === undefined) missing('size', 'Enter how many neighbours the group has');
    }
  })
  .transform((value) => {
    const { name } = value;
    switch (value.kind) {
      case 'type':
        return { name, kind: 'type' as const, organisationType: value.organisationType! };
      case 'list':
        return { name, kind: 'list' as const, organisations: [...new Set(value.organisations!)] };
      case 'nearest':
        return { name, kind: 'nearest' as const, anchor: value.anchor!, size: value.size! };
    }
  });
export type ComparatorGroupInput = z.output<typeof comparatorGroupInput>;

/** A form posts strings: the list's textarea holds codes separated by new lines, commas or spaces. */
export const comparatorGroupForm = z.preprocess((raw) => {
  const form = (raw ?? {}) as Record<string, string | undefined>;
  const blankToUndefined = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const size = blankToUndefined(form.size);
  return {
    name: form.name ?? '',
    kind: blankToUndefined(form.kind),
    organisationType: form.kind === 'type' ? blankToUndefined(form.organisationType) : undefined,
    organisations: form.kind === 'list' ? (form.organisations ?? '').split(/[\s,;]+/).filter(Boolean) : undefined,
    anchor: form.kind === 'nearest' ? blankToUndefined(form.anchor) : undefined,
    size: form.kind === 'nearest' && size !== undefined ? (/^\d+$/.test(size) ? Number(size) : size) : undefined,
  };
}, comparatorGroupInput);
