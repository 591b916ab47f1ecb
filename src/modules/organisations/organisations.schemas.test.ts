import { describe, expect, it } from 'vitest';
import {
  createOrganisationBody,
  createServiceBody,
  listFilters,
  ORGANISATION_TYPE_LABELS,
  updateOrganisationBody,
  updateServiceBody,
} from './organisations.schemas.js';
import { ORGANISATION_TYPES } from './organisations.tables.js';

const valid = { code: 'E06000001', name: 'Hartlepool', type: 'council' };

/** The field → message pairs of a failed parse. */
function problems(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('organisation body', () => {
  it('stores the code upper-case and trims what people type', () => {
    const parsed = createOrganisationBody.parse({ ...valid, code: ' e06-000001 ', name: '  Hartlepool ' });
    expect(parsed).toEqual({
      code: 'E06-000001',
      name: 'Hartlepool',
      type: 'council',
      region: undefined,
      attributes: {},
    });
  });

  it.each([
    ['missing', undefined, 'Enter the organisation’s code'],
    ['blank', '   ', 'Enter the organisation’s code'],
    ['one character', 'E', 'Enter a code of 2 to 20 letters, digits or hyphens, like E06000001'],
    ['21 characters', 'E'.repeat(21), 'Enter a code of 2 to 20 letters, digits or hyphens, like E06000001'],
    ['with a space', 'E06 000001', 'Enter a code of 2 to 20 letters, digits or hyphens, like E06000001'],
  ])('refuses a code that is %s with one message', (_case, code, message) => {
    expect(problems(createOrganisationBody.safeParse({ ...valid, code }))).toEqual([['code', message]]);
  });

  it('accepts codes of 2 and 20 characters', () => {
    expect(createOrganisationBody.parse({ ...valid, code: 'ab' }).code).toBe('AB');
    expect(createOrganisationBody.parse({ ...valid, code: 'a'.repeat(20) }).code).toBe('A'.repeat(20));
  });

  it('names every missing field in words for people', () => {
    expect(problems(createOrganisationBody.safeParse({}))).toEqual([
      ['code', 'Enter the organisation’s code'],
      ['name', 'Enter the organisation’s name'],
      ['type', 'Choose the type of organisation'],
    ]);
  });

  it('knows every type, with a label for each', () => {
    for (const type of ORGANISATION_TYPES) expect(createOrganisationBody.parse({ ...valid, type }).type).toBe(type);
    expect(Object.keys(ORGANISATION_TYPE_LABELS).sort()).toEqual([...ORGANISATION_TYPES].sort());
    expect(ORGANISATION_TYPE_LABELS.fire_service).toBe('Fire and rescue service');
    expect(problems(createOrganisationBody.safeParse({ ...valid, type: 'castle' }))).toEqual([
      ['type', 'Choose the type of organisation'],
    ]);
  });

  it('treats a blank region as none', () => {
    expect(createOrganisationBody.parse({ ...valid, region: '  ' }).region).toBeNull();
    expect(createOrganisationBody.parse({ ...valid, region: 'North East' }).region).toBe('North East');
  });

  it('accepts any numeric attributes and keeps the rules of the named ones', () => {
    const attributes = { population: 92000, deprivationScore: 24.5, stockSize: 0, gypsumTonnes: -3.5 };
    expect(createOrganisationBody.parse({ ...valid, attributes }).attributes).toEqual(attributes);
    expect(
      problems(createOrganisationBody.safeParse({ ...valid, attributes: { population: 1.5, deprivationScore: -1 } })),
    ).toEqual([
      ['attributes.population', 'Enter the population as a whole number, like 125000'],
      ['attributes.deprivationScore', 'The deprivation score must be 0 or more'],
    ]);
  });

  it('refuses attributes that are not numbers, or badly named', () => {
    expect(problems(createOrganisationBody.safeParse({ ...valid, attributes: { population: '9' } }))).toEqual([
      ['attributes.population', 'Give each attribute as a number'],
    ]);
    const badKey = problems(createOrganisationBody.safeParse({ ...valid, attributes: { '1st': 3 } }));
    expect(badKey).toEqual([
      ['attributes.1st', 'Name each attribute with a letter followed by up to 39 letters, digits or _'],
    ]);
  });
});

describe('organisation change body', () => {
  it('takes any one field, null to clear the region or remove an attribute', () => {
    expect(updateOrganisationBody.parse({ region: null })).toEqual({ region: null });
    expect(updateOrganisationBody.parse({ attributes: { stockSize: null, population: 1 } }).attributes).toEqual({
      stockSize: null,
      population: 1,
    });
    expect(updateOrganisationBody.parse({ code: 'w06000001' }).code).toBe('W06000001');
  });

  it('refuses a change of nothing', () => {
    expect(problems(updateOrganisationBody.safeParse({}))).toEqual([['', 'Give at least one field to change']]);
  });

  it('keeps the rules of each field it is given', () => {
    expect(problems(updateOrganisationBody.safeParse({ name: ' ', attributes: { stockSize: -2 } }))).toEqual([
      ['name', 'Enter the organisation’s name'],
      ['attributes.stockSize', 'The housing stock must be 0 or more'],
    ]);
  });
});

describe('service bodies', () => {
  it('needs a name; a blank description is none', () => {
    expect(createServiceBody.parse({ name: ' Housing repairs ', description: '' })).toEqual({
      name: 'Housing repairs',
      description: null,
    });
    expect(problems(createServiceBody.safeParse({ name: '' }))).toEqual([['name', 'Enter the service’s name']]);
    expect(problems(createServiceBody.safeParse({ name: 'x'.repeat(201) }))).toEqual([
      ['name', 'Enter a name of 200 characters or fewer'],
    ]);
  });

  it('changes one field or both, never nothing', () => {
    expect(updateServiceBody.parse({ description: 'Repairs' })).toEqual({ description: 'Repairs' });
    expect(updateServiceBody.safeParse({}).success).toBe(false);
  });
});

describe('list filters', () => {
  it('reads blank filters (as a GET form sends them) as no filter', () => {
    expect(listFilters.parse({ q: '', type: '' })).toEqual({ q: undefined, type: undefined });
    expect(listFilters.parse({ q: ' ash ', type: 'police' })).toEqual({ q: 'ash', type: 'police' });
    expect(listFilters.safeParse({ type: 'castle' }).success).toBe(false);
  });
});
