import { describe, expect, it } from 'vitest';
import type { Role } from '../accounts/accounts.tables.js';
import type { UserActor } from '../accounts/actor.js';
import {
  mayCreate,
  mayOn,
  organisationScope,
  permissionsOn,
  rolesFor,
  routeConfigFor,
  type OrganisationAction,
} from './organisations.policy.js';

const OWN = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';

function person(role: Role, organisationId: string | null = OWN): UserActor {
  return {
    kind: 'user',
    userId: `user-${role}`,
    email: `${role}@example.test`,
    name: role,
    role,
    organisationId,
    via: 'token',
    sessionId: null,
  };
}

// Written out by hand, independently of the policy's table: [own organisation, another organisation].
const EXPECTED: Record<Role, Record<Exclude<OrganisationAction, 'create'>, [boolean, boolean]> & { create: boolean }> =
  {
    administrator: {
      view: [true, true],
      update: [true, true],
      manageServices: [true, true],
      viewHistory: [true, true],
      create: true,
    },
    inspector: {
      view: [true, true],
      update: [false, false],
      manageServices: [false, false],
      viewHistory: [true, true],
      create: false,
    },
    organisation_member: {
      view: [true, false],
      update: [false, false],
      manageServices: [true, false],
      viewHistory: [true, false],
      create: false,
    },
    viewer: {
      view: [true, false],
      update: [false, false],
      manageServices: [false, false],
      viewHistory: [false, false],
      create: false,
    },
  };

const cases = Object.entries(EXPECTED).flatMap(([role, actions]) =>
  (['view', 'update', 'manageServices', 'viewHistory'] as const).flatMap((action) => [
    { role: role as Role, action, target: 'own', organisationId: OWN, allowed: actions[action][0] },
    { role: role as Role, action, target: 'another', organisationId: OTHER, allowed: actions[action][1] },
  ]),
);

describe('organisations policy', () => {
  it.each(cases)('$role may $action on $target organisation: $allowed', ({ role, action, organisationId, allowed }) => {
    expect(mayOn(person(role), action, organisationId)).toBe(allowed);
  });

  it.each(Object.entries(EXPECTED))('%s may create organisations: %s', (role, { create }) => {
    expect(mayCreate(person(role as Role))).toBe(create);
  });

  it('gives routes exactly the roles that can do an action somewhere', () => {
    expect(rolesFor('view')).toEqual(['administrator', 'inspector', 'organisation_member', 'viewer']);
    expect(rolesFor('create')).toEqual(['administrator']);
    expect(rolesFor('update')).toEqual(['administrator']);
    expect(rolesFor('manageServices')).toEqual(['administrator', 'organisation_member']);
    expect(rolesFor('viewHistory')).toEqual(['administrator', 'inspector', 'organisation_member']);
    expect(routeConfigFor('create')).toEqual({ access: { roles: ['administrator'] } });
  });

  it('lists every organisation to administrators and inspectors, and only their own to members and viewers', () => {
    expect(organisationScope(person('administrator', null))).toEqual({ kind: 'all' });
    expect(organisationScope(person('inspector', null))).toEqual({ kind: 'all' });
    expect(organisationScope(person('organisation_member'))).toEqual({ kind: 'one', organisationId: OWN });
    expect(organisationScope(person('viewer'))).toEqual({ kind: 'one', organisationId: OWN });
  });

  it('shows nothing to a viewer who belongs to no organisation, and lets them see none', () => {
    const loose = person('viewer', null);
    expect(organisationScope(loose)).toEqual({ kind: 'none' });
    expect(mayOn(loose, 'view', OWN)).toBe(false);
  });

  it('lets an administrator or inspector without an organisation reach every one', () => {
    expect(mayOn(person('administrator', null), 'update', OTHER)).toBe(true);
    expect(mayOn(person('inspector', null), 'view', OTHER)).toBe(true);
  });

  it('lets the system (demo loader, CLI) do everything', () => {
    const system = { kind: 'system', label: 'test' } as const;
    expect(mayCreate(system)).toBe(true);
    for (const action of ['view', 'update', 'manageServices', 'viewHistory'] as const) {
      expect(mayOn(system, action, OTHER)).toBe(true);
    }
    expect(organisationScope(system)).toEqual({ kind: 'all' });
  });

  it('tells the pages what to offer on an organisation', () => {
    const offers = (update: boolean, manageServices: boolean, viewHistory: boolean) => ({
      update,
      manageServices,
      viewHistory,
    });
    expect(permissionsOn(person('organisation_member'), OWN)).toEqual(offers(false, true, true));
    expect(permissionsOn(person('organisation_member'), OTHER)).toEqual(offers(false, false, false));
    expect(permissionsOn(person('administrator', null), OTHER)).toEqual(offers(true, true, true));
    expect(permissionsOn(person('inspector', null), OTHER)).toEqual(offers(false, false, true));
    expect(permissionsOn(person('viewer'), OWN)).toEqual(offers(false, false, false));
  });
});
