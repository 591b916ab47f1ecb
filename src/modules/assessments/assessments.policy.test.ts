import { describe, expect, it } from 'vitest';
import type { Role } from '../accounts/accounts.tables.js';
import type { UserActor } from '../accounts/actor.js';
import { assessmentScope, may, mayCreate, type AssessmentAction, type AssessmentFacts } from './assessments.policy.js';
import type { AssessmentKind, AssessmentStatus, TeamRole } from './assessments.tables.js';

const OURS = 'org-ours';
const THEIRS = 'org-theirs';

function person(role: Role, organisationId: string | null = null): UserActor {
  return {
    kind: 'user',
    userId: `u-${role}`,
    email: `${role}@x`,
    name: role,
    role,
    organisationId,
    via: 'session',
    sessionId: null,
  };
}

function assessment(kind: AssessmentKind, status: AssessmentStatus = 'fieldwork', shared = false): AssessmentFacts {
  return { organisationId: OURS, kind, status, sharedWithOrganisation: shared };
}

const admin = person('administrator');
const inspector = person('inspector');
const member = person('organisation_member', OURS);
const otherMember = person('organisation_member', THEIRS);
const viewer = person('viewer', OURS);

const ACTIONS: AssessmentAction[] = ['view', 'judge', 'manage', 'lead', 'publish', 'challenge', 'viewHistory'];
const allowed = (actor: UserActor, facts: AssessmentFacts, team?: TeamRole) =>
  ACTIONS.filter((action) => may(actor, action, facts, team));

describe('assessments policy', () => {
  it('lets administrators see and manage every assessment but not judge, lead or challenge', () => {
    expect(allowed(admin, assessment('inspection'))).toEqual(['view', 'manage', 'viewHistory']);
  });

  it('gives inspectors only the inspections whose team they are on', () => {
    expect(allowed(inspector, assessment('inspection'))).toEqual([]);
    expect(allowed(inspector, assessment('inspection'), 'member')).toEqual(['view', 'judge', 'viewHistory']);
    expect(allowed(inspector, assessment('inspection'), 'lead')).toEqual([
      'view',
      'judge',
      'manage',
      'lead',
      'publish',
      'viewHistory',
    ]);
  });

  it('lets a team member who is not the lead challenge, and only during moderation', () => {
    expect(may(inspector, 'challenge', assessment('inspection', 'moderation'), 'member')).toBe(true);
    expect(may(inspector, 'challenge', assessment('inspection', 'fieldwork'), 'member')).toBe(false);
    expect(may(inspector, 'challenge', assessment('inspection', 'moderation'), 'lead')).toBe(false);
  });

  it('lets inspectors read a published self-assessment, to set it beside their inspection', () => {
    expect(allowed(inspector, assessment('self_assessment', 'published'))).toEqual(['view', 'viewHistory']);
    expect(allowed(inspector, assessment('self_assessment', 'fieldwork'))).toEqual([]);
  });

  it('lets members contribute to their own organisation’s self-assessments without being on the team', () => {
    expect(allowed(member, assessment('self_assessment'))).toEqual(['view', 'judge', 'viewHistory']);
    expect(allowed(member, assessment('peer_review'))).toEqual(['view', 'judge', 'viewHistory']);
    expect(allowed(otherMember, assessment('self_assessment'))).toEqual([]);
  });

  it('shows members an inspection of their organisation only when the team shares it, and never to judge', () => {
    expect(allowed(member, assessment('inspection'))).toEqual([]);
    expect(allowed(member, assessment('inspection', 'fieldwork', true))).toEqual(['view', 'viewHistory']);
    expect(allowed(otherMember, assessment('inspection', 'fieldwork', true))).toEqual([]);
  });

  it('lets viewers read what their organisation’s members may see, and change nothing', () => {
    expect(allowed(viewer, assessment('self_assessment'))).toEqual(['view']);
    expect(allowed(viewer, assessment('inspection'))).toEqual([]);
    expect(allowed(viewer, assessment('inspection', 'published', true))).toEqual(['view']);
  });

  it('makes a published assessment read-only, except for its lead reopening it', () => {
    const published = assessment('inspection', 'published');
    expect(allowed(inspector, published, 'lead')).toEqual(['view', 'lead', 'publish', 'viewHistory']);
    expect(allowed(admin, published)).toEqual(['view', 'viewHistory']);
    expect(allowed(member, assessment('self_assessment', 'published'))).toEqual(['view', 'viewHistory']);
  });

  it('says who may open which kind of assessment', () => {
    expect(mayCreate(admin, 'inspection', OURS)).toBe(true);
    expect(mayCreate(inspector, 'inspection', OURS)).toBe(true);
    expect(mayCreate(inspector, 'self_assessment', OURS)).toBe(false);
    expect(mayCreate(member, 'self_assessment', OURS)).toBe(true);
    expect(mayCreate(member, 'self_assessment', THEIRS)).toBe(false);
    expect(mayCreate(member, 'inspection', OURS)).toBe(false);
    expect(mayCreate(viewer, 'self_assessment', OURS)).toBe(false);
  });

  it('narrows lists as the rules do', () => {
    expect(assessmentScope(admin)).toEqual({ kind: 'all' });
    expect(assessmentScope(inspector)).toEqual({ kind: 'inspector', userId: 'u-inspector' });
    expect(assessmentScope(viewer)).toEqual({ kind: 'organisation', organisationId: OURS });
    expect(assessmentScope(person('viewer'))).toEqual({ kind: 'none' });
  });
});
