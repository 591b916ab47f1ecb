import { describe, expect, it } from 'vitest';
import type { Role } from '../accounts/accounts.tables.js';
import type { UserActor } from '../accounts/actor.js';
import { mayOn, routeConfigFor, templateScope, usableFor } from './report-templates.policy.js';

const OWN = 'org-own';
const OTHER = 'org-other';
const actor = (role: Role, organisationId: string | null = null): UserActor => ({
  kind: 'user',
  userId: 'u',
  email: 'u@example.test',
  name: 'U',
  role,
  organisationId,
  via: 'token',
  sessionId: null,
});

describe('report template policy', () => {
  it('lets administrators manage every template, shared ones included', () => {
    for (const owner of [null, OWN, OTHER]) expect(mayOn(actor('administrator'), 'manage', owner)).toBe(true);
  });

  it('lets organisation members manage their own organisation’s templates only, and see the shared ones', () => {
    const member = actor('organisation_member', OWN);
    expect(mayOn(member, 'manage', OWN)).toBe(true);
    expect(mayOn(member, 'manage', null)).toBe(false);
    expect(mayOn(member, 'manage', OTHER)).toBe(false);
    expect(mayOn(member, 'view', null)).toBe(true);
    expect(mayOn(member, 'view', OTHER)).toBe(false);
  });

  it('lets viewers and inspectors see but never change', () => {
    expect(mayOn(actor('viewer', OWN), 'view', OWN)).toBe(true);
    expect(mayOn(actor('viewer', OWN), 'manage', OWN)).toBe(false);
    expect(mayOn(actor('inspector'), 'view', OTHER)).toBe(true);
    expect(mayOn(actor('inspector'), 'manage', null)).toBe(false);
    expect(routeConfigFor('manage').access.roles).toEqual(['administrator', 'organisation_member']);
  });

  it('lists all templates for administrators and inspectors, shared and own for the rest', () => {
    expect(templateScope(actor('inspector'))).toEqual({ kind: 'all' });
    expect(templateScope(actor('viewer', OWN))).toEqual({ kind: 'sharedAnd', organisationId: OWN });
    expect(templateScope(actor('viewer', null))).toEqual({ kind: 'sharedAnd', organisationId: null });
  });

  it('fills an assessment’s report only with a shared template or its own organisation’s', () => {
    expect(usableFor({ organisationId: null }, OWN)).toBe(true);
    expect(usableFor({ organisationId: OWN }, OWN)).toBe(true);
    expect(usableFor({ organisationId: OTHER }, OWN)).toBe(false);
  });
});
