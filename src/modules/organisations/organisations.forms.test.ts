import { describe, expect, it } from 'vitest';
import { knownAttributes, organisationForm, organisationFormValues } from './organisations.forms.js';

const fields = { code: 'e07000901', name: 'Ashdown District Council', type: 'council', region: '' };

describe('organisation form', () => {
  it('turns the named number fields into attributes, reading numbers as people type them', () => {
    const parsed = organisationForm.parse({
      ...fields,
      population: '118,400',
      deprivationScore: ' 14.6 ',
      stockSize: '',
    });
    expect(parsed).toEqual({
      code: 'E07000901',
      name: 'Ashdown District Council',
      type: 'council',
      region: null,
      attributes: { population: 118400, deprivationScore: 14.6, stockSize: null },
    });
    expect(knownAttributes(parsed.attributes)).toEqual({ population: 118400, deprivationScore: 14.6 });
  });

  it('names each field at fault, in the order of the page', () => {
    const result = organisationForm.safeParse({ code: '', name: '', population: 'lots', stockSize: '12.5' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['code', 'Enter the organisation’s code'],
      ['name', 'Enter the organisation’s name'],
      ['type', 'Choose the type of organisation'],
      ['population', 'Enter the population as a number, like 125000'],
      ['stockSize', 'Enter the housing stock as a whole number, like 5400'],
    ]);
  });

  it('starts the edit form from the stored organisation', () => {
    expect(
      organisationFormValues({
        code: 'E07000901',
        name: 'Ashdown',
        type: 'council',
        region: null,
        attributes: { population: 118400, other: 3 },
      }),
    ).toEqual({
      code: 'E07000901',
      name: 'Ashdown',
      type: 'council',
      region: '',
      population: '118400',
      deprivationScore: '',
      stockSize: '',
    });
  });
});
