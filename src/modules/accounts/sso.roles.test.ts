import { describe, expect, it } from 'vitest';
import type { RoleRule } from '../../config.js';
import { mappedRole } from './sso.roles.js';

const rules: RoleRule[] = [
  { value: 'kloe.admin', role: 'administrator', organisationCode: undefined },
  { value: 'kloe.inspector', role: 'inspector', organisationCode: undefined },
  { value: 'ashdown', role: 'organisation_member', organisationCode: 'ASHDOWN' },
];

describe('role mapping from a claim', () => {
  it('takes the first rule in the configured order that the claim holds', () => {
    expect(mappedRole(rules, ['ashdown', 'kloe.inspector'])?.role).toBe('inspector');
    expect(mappedRole(rules, ['kloe.inspector', 'kloe.admin'])?.role).toBe('administrator');
    expect(mappedRole(rules, 'ashdown')).toEqual(rules[2]);
  });

  it('finds nothing for values it does not know, or no claim', () => {
    expect(mappedRole(rules, ['someone-else'])).toBeUndefined();
    expect(mappedRole(rules, undefined)).toBeUndefined();
    expect(mappedRole(rules, [42, null])).toBeUndefined();
  });
});
