/**
 * Request and response schemas of organisations and services, shared by the JSON API and the forms
 * (organisations.forms.ts builds the form schemas from the same fields). Messages are written for the
 * person filling in the form.
 */
import { z } from 'zod';
import { nameText } from '../../web/text-fields.js';
import { ORGANISATION_TYPES, type OrganisationType } from './organisations.tables.js';
import { namedAttributeProblems } from './organisation-attributes.js';

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  council: 'Council',
  housing_provider: 'Housing provider',
  fire_service: 'Fire and rescue service',
  police: 'Police force',
  health_body: 'Health body',
  other_public_body: 'Other public body',
};

/** A required name: trimmed, without bidirectional controls, and the same message whether it is missing or blank. */
function requiredText(missing: string, max: number, tooLong: string) {
  return nameText({ error: missing }).min(1, { error: missing, abort: true }).max(max, tooLong);
}

/** Optional text: blank (as a form sends it) and null both mean "none". */
function optionalText(max: number, tooLong: string) {
  return z
    .string()
    .trim()
    .max(max, tooLong)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
}

export const codeField = z
  .string({ error: 'Enter the organisation’s code' })
  .trim()
  .min(1, { error: 'Enter the organisation’s code', abort: true })
  .regex(/^[A-Za-z0-9-]{2,20}$/, 'Enter a code of 2 to 20 letters, digits or hyphens, like E06000001')
  // Codes are compared and shown upper-case, so "e06000001" and "E06000001" are one organisation.
  .transform((code) => code.toUpperCase());

export const nameField = requiredText('Enter the organisation’s name', 200, 'Enter a name of 200 characters or fewer');
export const typeField = z.enum(ORGANISATION_TYPES, { error: 'Choose the type of organisation' });
export const regionField = optionalText(100, 'Enter a region of 100 characters or fewer');

const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/**
 * Attribute names, and the named attributes' rules. Names are checked here rather than by the record's key
 * schema, whose failure zod reports only as "Invalid key in record".
 */
function checkAttributes(values: Record<string, number | null>, ctx: z.RefinementCtx): void {
  for (const key of Object.keys(values).filter((key) => !ATTRIBUTE_KEY.test(key))) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: 'Name each attribute with a letter followed by up to 39 letters, digits or _',
    });
  }
  for (const problem of namedAttributeProblems(values)) ctx.addIssue({ code: 'custom', ...problem });
}

/** Numeric context values, e.g. { population: 98000, deprivationScore: 17.2 }. */
export const attributesField = z
  .record(z.string(), z.number({ error: 'Give each attribute as a number' }))
  .superRefine(checkAttributes);

/** A change to the attributes: a number sets one, null removes it, an attribute not mentioned stays. */
export const attributeChangesField = z
  .record(z.string(), z.number({ error: 'Give each attribute as a number, or null to remove it' }).nullable())
  .superRefine(checkAttributes);

export const createOrganisationBody = z.object({
  code: codeField,
  name: nameField,
  type: typeField,
  region: regionField,
  attributes: attributesField.default({}),
});

export const updateOrganisationBody = z
  .object({
    code: codeField.optional(),
    name: nameField.optional(),
    type: typeField.optional(),
    region: regionField,
    attributes: attributeChangesField.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'Give at least one field to change');

export const serviceNameField = requiredText(
  'Enter the service’s name',
  200,
  'Enter a name of 200 characters or fewer',
);
export const serviceDescriptionField = optionalText(2000, 'Enter a description of 2,000 characters or fewer');

export const createServiceBody = z.object({ name: serviceNameField, description: serviceDescriptionField });

export const updateServiceBody = z
  .object({ name: serviceNameField.optional(), description: serviceDescriptionField })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'Give at least one field to change');

export type CreateOrganisationInput = z.output<typeof createOrganisationBody>;
export type UpdateOrganisationInput = z.output<typeof updateOrganisationBody>;
export type CreateServiceInput = z.output<typeof createServiceBody>;
export type UpdateServiceInput = z.output<typeof updateServiceBody>;

/** "" (an unset filter in a GET form) means no filter. */
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const listFilters = z.object({
  q: z.preprocess(blankAsUndefined, z.string().trim().max(100).optional()).describe('Part of a name or code'),
  type: z.preprocess(blankAsUndefined, typeField.optional()),
});

export const listQuery = listFilters.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export type ListFilters = z.output<typeof listFilters>;

// Ids are checked by the service, not here: a malformed id answers 404 like any other unknown one.
export const organisationIdParams = z.object({ id: z.string().max(64).describe('Organisation id') });
export const serviceIdParams = organisationIdParams.extend({ serviceId: z.string().max(64).describe('Service id') });

export const organisationResponse = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.enum(ORGANISATION_TYPES),
  region: z.string().nullable(),
  attributes: z.record(z.string(), z.number()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const organisationListResponse = z.object({
  organisations: z.array(organisationResponse),
  total: z.number().int().describe('How many match, across all pages'),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const serviceResponse = z.object({
  id: z.string(),
  organisationId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const serviceListResponse = z.object({ services: z.array(serviceResponse) });
