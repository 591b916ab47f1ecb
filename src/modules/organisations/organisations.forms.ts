/**
 * The organisation form: the API's fields, with each named context attribute as its own number field
 * (a form posts strings; a blank one means "not known"). Services' forms post exactly the API's fields,
 * so they use createServiceBody as it is.
 */
import { z } from 'zod';
import { attributeNumber, NAMED_ATTRIBUTES, type NamedAttribute } from './organisation-attributes.js';
import { codeField, nameField, regionField, typeField } from './organisations.schemas.js';
import type { ContextAttributes } from './organisations.tables.js';

/** A number as people type it: "125,000" and " 125000 " are both 125000; blank is null. */
function formNumber(attribute: NamedAttribute) {
  return z
    .string()
    .optional()
    .transform((raw) => {
      const compact = (raw ?? '').replace(/[,\s]/g, '');
      return compact === '' ? null : Number(compact);
    })
    .pipe(attributeNumber(attribute).nullable());
}

const attributeFields = z.object(Object.fromEntries(NAMED_ATTRIBUTES.map((a) => [a.key, formNumber(a)])));

export const organisationForm = z
  .object({ code: codeField, name: nameField, type: typeField, region: regionField })
  .and(attributeFields)
  .transform(({ code, name, type, region, ...numbers }) => ({
    code,
    name,
    type,
    region: region ?? null,
    /** Named attributes only; null where the field was left blank. */
    attributes: Object.fromEntries(NAMED_ATTRIBUTES.map((a) => [a.key, numbers[a.key] ?? null])) as Record<
      string,
      number | null
    >,
  }));

export type OrganisationFormData = z.output<typeof organisationForm>;

/** Attributes without the blanks, for creating an organisation. */
export function knownAttributes(attributes: Record<string, number | null>): ContextAttributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null)) as ContextAttributes;
}

/** A stored organisation as the form's field values (what the edit page starts from). */
export function organisationFormValues(organisation: {
  code: string;
  name: string;
  type: string;
  region: string | null;
  attributes: ContextAttributes;
}): Record<string, string> {
  const values: Record<string, string> = {
    code: organisation.code,
    name: organisation.name,
    type: organisation.type,
    region: organisation.region ?? '',
  };
  for (const { key } of NAMED_ATTRIBUTES) values[key] = organisation.attributes[key]?.toString() ?? '';
  return values;
}
