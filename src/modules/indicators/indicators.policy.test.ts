import { describe, expect, it } from 'vitest';
import type { UserActor } from '../accounts/actor.js';
import { mayAnalyse, mayManage, routeConfigFor } from './indicators.policy.js';

const person = (role: UserActor['role'], organisationId: string | null = null) =>
  ({ kind: 'user', userId: 'u', role, organisationId, name: 'A', email: 'a@example.org' }) as unknown as UserActor;

describe('indicators policy', () => {
  it('lets administrators and inspectors manage, nobody else', () => {
    expect(mayManage(person('administrator'))).toBe(true);
    expect(mayManage(person('inspector'))).toBe(true);
    expect(mayManage(person('organisation_member', 'o1'))).toBe(false);
    expect(mayManage(person('viewer', 'o1'))).toBe(false);
    expect(routeConfigFor('manage').access.roles).toEqual(['administrator', 'inspector']);
  });

  it('shows an organisation’s analysis to its own members and viewers only', () => {
    expect(mayAnalyse(person('organisation_member', 'o1'), 'o1')).toBe(true);
    expect(mayAnalyse(person('organisation_member', 'o1'), 'o2')).toBe(false);
    expect(mayAnalyse(person('viewer', 'o2'), 'o2')).toBe(true);
    expect(mayAnalyse(person('inspector'), 'o2')).toBe(true);
    expect(routeConfigFor('view').access.roles).toHaveLength(4);
  });
});
