import { describe, expect, it } from 'vitest';
import type { Role } from '../accounts/accounts.tables.js';
import type { UserActor } from '../accounts/actor.js';
import { mayOnPlan, routeConfigFor } from './improvement.policy.js';

const OWN = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const person = (role: Role, organisationId: string | null = null): UserActor => ({
  kind: 'user',
  userId: role,
  email: `${role}@example.test`,
  name: role,
  role,
  organisationId,
  via: 'token',
  sessionId: null,
});

describe('improvement plan policy', () => {
  it('lets only members of the organisation edit its plans', () => {
    expect(mayOnPlan(person('organisation_member', OWN), 'edit', OWN)).toBe(true);
    expect(mayOnPlan(person('organisation_member', OTHER), 'edit', OWN)).toBe(false);
    for (const role of ['administrator', 'inspector', 'viewer'] as const) {
      expect(mayOnPlan(person(role, OWN), 'edit', OWN)).toBe(false);
    }
    expect(routeConfigFor('edit').access.roles).toEqual(['organisation_member']);
  });

  it('lets administrators and inspectors read every plan, members and viewers their own organisation’s', () => {
    expect(mayOnPlan(person('administrator'), 'view', OWN)).toBe(true);
    expect(mayOnPlan(person('inspector'), 'view', OWN)).toBe(true);
    expect(mayOnPlan(person('viewer', OWN), 'view', OWN)).toBe(true);
    expect(mayOnPlan(person('viewer', OTHER), 'view', OWN)).toBe(false);
    expect(mayOnPlan(person('organisation_member', OTHER), 'view', OWN)).toBe(false);
    expect(mayOnPlan(person('viewer'), 'view', OWN)).toBe(false);
  });

  it('lets inspectors, administrators and the organisation’s members comment, not viewers or outsiders', () => {
    expect(mayOnPlan(person('inspector'), 'comment', OWN)).toBe(true);
    expect(mayOnPlan(person('administrator'), 'comment', OWN)).toBe(true);
    expect(mayOnPlan(person('organisation_member', OWN), 'comment', OWN)).toBe(true);
    expect(mayOnPlan(person('organisation_member', OTHER), 'comment', OWN)).toBe(false);
    expect(mayOnPlan(person('viewer', OWN), 'comment', OWN)).toBe(false);
    expect(routeConfigFor('comment').access.roles).toEqual(['administrator', 'inspector', 'organisation_member']);
  });

  it('lets only inspectors and administrators monitor every organisation’s plans', () => {
    expect(mayOnPlan(person('inspector'), 'monitor', '')).toBe(true);
    expect(mayOnPlan(person('administrator'), 'monitor', '')).toBe(true);
    expect(mayOnPlan(person('organisation_member', OWN), 'monitor', '')).toBe(false);
    expect(mayOnPlan(person('viewer', OWN), 'monitor', OWN)).toBe(false);
  });

  it('lets the system (demo loader, CLI) do anything', () => {
    expect(mayOnPlan({ kind: 'system', label: 'test' }, 'edit', OWN)).toBe(true);
  });
});
