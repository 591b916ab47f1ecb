import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

/** The statements of KLOE 5.1.2 in the built-in framework: promising P1–P6, uncertain U1–U6. */
const P = (n: number) => `5.1.2-P${n}`;
const U = (n: number) => `5.1.2-U${n}`;

describeEachDatabase('assessments API: a whole inspection', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let second: TestUser;
  let outsider: TestUser;
  let member: TestUser;
  let otherMember: TestUser;
  let viewer: TestUser;
  let organisationId: string;
  let serviceId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Workflow Borough Council' });
    const other = await createTestOrganisation(db, { name: 'Elsewhere Council' });
    organisationId = organisation.id;
    serviceId = (
      await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, { name: 'Housing repairs' })
    ).id;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    second = await createTestUser(db, 'inspector', { name: 'Sam Second' });
    outsider = await createTestUser(db, 'inspector', { name: 'Olly Outside' });
    member = await createTestUser(db, 'organisation_member', { organisationId });
    viewer = await createTestUser(db, 'viewer', { organisationId });
    otherMember = await createTestUser(db, 'organisation_member', { organisationId: other.id });
  });

  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

  async function openInspection(extra: object = {}) {
    const res = await api(lead, 'POST', '/api/assessments', {
      organisationId,
      serviceId,
      kind: 'inspection',
      title: 'Housing repairs inspection',
      memberUserIds: [second.actor.userId],
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number; status: string };
  }

  async function move(id: string, status: string, user = lead) {
    const current = (await api(user, 'GET', `/api/assessments/${id}`)).json() as { version: number };
    return api(user, 'POST', `/api/assessments/${id}/status`, { version: current.version, status });
  }

  async function kloe(id: string, ref: string, user = lead) {
    const res = await api(user, 'GET', `/api/assessments/${id}/kloes/${ref}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      version: number;
      statements: { judged: number; total: number };
      suggestedRating: { rating: string | null; reasons: string[]; drivers: { ref: string; effect: string }[] };
      finalRating: string | null;
      rationale: string | null;
    };
  }

  it('pins the framework version, puts the creator in the lead and starts in planning', async () => {
    const created = await openInspection();
    const detail = (await api(lead, 'GET', `/api/assessments/${created.id}`)).json();
    expect(detail).toMatchObject({
      status: 'planning',
      revision: 1,
      framework: { id: 'audit-commission-j2', version: 1 },
      organisationName: 'Workflow Borough Council',
      serviceName: 'Housing repairs',
      permissions: { judge: true, lead: true, publish: true, challenge: false },
    });
    expect(detail.team.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([
      ['Lena Lead', 'lead'],
      ['Sam Second', 'member'],
    ]);
  });

  it('suggests a rating from the findings, shows what drove it, and wants a rationale to differ from it', async () => {
    const { id } = await openInspection();
    const before = await kloe(id, '5.1.2');
    expect(before.statements).toEqual({ judged: 0, total: 12 });
    expect(before.suggestedRating.rating).toBeNull();

    const findings = [
      ...[1, 2, 3, 4, 5].map((n) => ({ statementRef: P(n), outcome: 'met' })),
      { statementRef: P(6), outcome: 'not_met', note: 'No benchmarking against other providers' },
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ statementRef: U(n), outcome: 'met' })),
    ];
    const saved = await api(lead, 'PUT', `/api/assessments/${id}/kloes/5.1.2`, {
      version: before.version,
      findings,
      strengths: ['Repairs backlog halved in two years'],
      areasForImprovement: ['Compare costs with other landlords'],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = saved.json();
    expect(after.statements).toEqual({ judged: 12, total: 12 });
    expect(after.suggestedRating.rating).toBe('promising'); // 5 of 6 met: 0.83 ≥ 0.75
    expect(after.suggestedRating.drivers).toContainEqual(expect.objectContaining({ ref: P(6), effect: 'holds back' }));
    expect(after.strengths).toEqual(['Repairs backlog halved in two years']);

    const noReason = await api(lead, 'PUT', `/api/assessments/${id}/kloes/5.1.2`, {
      version: after.version,
      finalRating: 'excellent',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([
      expect.objectContaining({
        field: 'rationale',
        message: expect.stringContaining('suggested rating is promising'),
      }),
    ]);

    const offScale = await api(lead, 'PUT', `/api/assessments/${id}/kloes/5.1.2`, {
      version: after.version,
      finalRating: 'outstanding',
    });
    expect(offScale.statusCode).toBe(400);
    expect(offScale.json().errors[0].field).toBe('finalRating');

    const agreed = await api(lead, 'PUT', `/api/assessments/${id}/kloes/5.1.2`, {
      version: after.version,
      finalRating: 'promising',
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json().finalRating).toBe('promising');
  });

  it('refuses findings on statements that are not the KLOE’s, and KLOEs outside the scope', async () => {
    const { id } = await openInspection({ scope: ['5'] });
    const scorecard = (await api(lead, 'GET', `/api/assessments/${id}/scorecard`)).json();
    expect(scorecard.kloes.map((k: { ref: string }) => k.ref)).toEqual([
      '5.1.1',
      '5.1.2',
      '5.1.3',
      '5.2.1',
      '5.2.2',
      '5.2.3',
      '5.2.4',
    ]);
    expect(scorecard.keyQuestions.map((k: { ref: string }) => k.ref)).toEqual(['5']);
    expect((await api(lead, 'GET', `/api/assessments/${id}/kloes/4.1`)).statusCode).toBe(404);

    const { version } = await kloe(id, '5.2.4');
    const wrong = await api(lead, 'PUT', `/api/assessments/${id}/kloes/5.2.4`, {
      version,
      findings: [{ statementRef: '4.1-P1', outcome: 'met' }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'findings.0.statementRef' });
    expect((await kloe(id, '5.2.4')).statements.judged).toBe(0); // nothing half-saved
  });

  it('refuses the second of two saves made on the same version, naming who saved first', async () => {
    const { id } = await openInspection();
    const { version } = await kloe(id, '4.2');
    const first = await api(lead, 'PUT', `/api/assessments/${id}/kloes/4.2`, {
      version,
      findings: [{ statementRef: '4.2-P1', outcome: 'met' }],
    });
    expect(first.statusCode).toBe(200);
    const stale = await api(second, 'PUT', `/api/assessments/${id}/kloes/4.2`, {
      version,
      findings: [{ statementRef: '4.2-P1', outcome: 'not_met' }],
    });
    expect(stale.statusCode).toBe(409);
    const problem = stale.json();
    expect(problem.code).toBe('edit_conflict');
    expect(problem.detail).toContain('Lena Lead');
    expect(problem.current.record.findings['4.2-P1'].outcome).toBe('met');
    expect(problem.current.version).toBe(version + 1);
  });

  it('loses no save and overwrites none when many assessors save the same KLOE at once', async () => {
    const { id } = await openInspection();
    const { version } = await kloe(id, '6.1');
    const saves = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(i % 2 ? second : lead, 'PUT', `/api/assessments/${id}/kloes/6.1`, {
          version,
          strengths: [`strength from save ${i}`],
        }),
      ),
    );
    const codes = saves.map((s) => s.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(11);
    const winner = saves.find((s) => s.statusCode === 200)!.json();
    const now = (await api(lead, 'GET', `/api/assessments/${id}/kloes/6.1`)).json();
    expect(now.strengths).toEqual(winner.strengths);
    expect(now.version).toBe(version + 1);
  });

  it('drops the rationale of a rating that changes: the new rating needs its own', async () => {
    const { id } = await openInspection({ scope: ['6.1'] });
    expect((await move(id, 'fieldwork')).statusCode).toBe(200);
    const save = async (body: object) =>
      api(lead, 'PUT', `/api/assessments/${id}/kloes/6.1`, { version: (await kloe(id, '6.1')).version, ...body });
    expect((await save({ finalRating: 'uncertain', rationale: 'Plans are not yet funded' })).statusCode).toBe(200);
    const bare = await save({ finalRating: 'poor' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('rationale');
    expect((await save({ finalRating: 'poor', rationale: 'No plans at all' })).statusCode).toBe(200);
    expect((await kloe(id, '6.1')).rationale).toBe('No plans at all');
  });

  it('lets only the lead re-write a rationale in moderation, and nobody change a rating there by saving it', async () => {
    const { id } = await openInspection({ scope: ['6.2'] });
    expect((await move(id, 'fieldwork')).statusCode).toBe(200);
    const save = async (user: TestUser, body: object) =>
      api(user, 'PUT', `/api/assessments/${id}/kloes/6.2`, { version: (await kloe(id, '6.2')).version, ...body });
    expect((await save(second, { finalRating: 'uncertain', rationale: 'First view' })).statusCode).toBe(200);
    expect((await move(id, 'moderation')).statusCode).toBe(200);
    const rewrite = await save(second, { rationale: 'My own second view' });
    expect(rewrite.statusCode).toBe(409);
    expect(rewrite.json().code).toBe('rating_locked_in_moderation');
    // The team member's findings and notes are still theirs to record.
    expect((await save(second, { strengths: ['Seen at the site visit'] })).statusCode).toBe(200);
    expect((await save(lead, { rationale: 'Agreed in moderation: plans unfunded' })).statusCode).toBe(200);
    expect((await kloe(id, '6.2')).rationale).toBe('Agreed in moderation: plans unfunded');
  });

  it('refuses to publish while new findings have moved a KLOE’s suggestion away from its rationale', async () => {
    const { id } = await openInspection({ scope: ['6.3'] });
    expect((await move(id, 'fieldwork')).statusCode).toBe(200);
    const k = await kloe(id, '6.3');
    const rated = await api(lead, 'PUT', `/api/assessments/${id}/kloes/6.3`, {
      version: k.version,
      finalRating: 'poor',
      rationale: 'Nothing judged yet, but the plans we saw were unfunded',
    });
    expect(rated.statusCode, rated.body).toBe(200);
    for (const node of ['6', 'overall']) {
      const card = (await api(lead, 'GET', `/api/assessments/${id}/scorecard`)).json();
      const entry = node === 'overall' ? card.overall : card.keyQuestions[0];
      await api(lead, 'PUT', `/api/assessments/${id}/ratings/${node}`, { version: entry.version, finalRating: 'poor' });
    }
    expect((await move(id, 'moderation')).statusCode).toBe(200);
    // A team member records the findings in moderation: every statement met now suggests another rating.
    const findings = ['6.3-P1', '6.3-P2', '6.3-U1', '6.3-U2'].map((statementRef) => ({ statementRef, outcome: 'met' }));
    const judged = await api(second, 'PUT', `/api/assessments/${id}/kloes/6.3`, {
      version: (await kloe(id, '6.3')).version,
      findings,
    });
    expect(judged.statusCode, judged.body).toBe(200);
    expect((await kloe(id, '6.3')).suggestedRating.rating).not.toBe('poor');
    const refused = await move(id, 'published');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/no rationale written since it last changed: KLOE 6\.3$/);
    // The lead re-writes the rationale against the new suggestion; the rating itself stays.
    const again = await api(lead, 'PUT', `/api/assessments/${id}/kloes/6.3`, {
      version: (await kloe(id, '6.3')).version,
      rationale: 'Every statement is met on paper, but none of the plans is funded',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect((await move(id, 'published')).statusCode).toBe(200);
  });

  it('moves the status only one step at a time, lets only the lead publish, and keeps a published revision intact', async () => {
    const { id } = await openInspection({ scope: ['6.4'] });
    expect((await move(id, 'moderation')).statusCode).toBe(409); // planning → moderation skips fieldwork
    expect((await move(id, 'fieldwork', second)).statusCode).toBe(403);
    expect((await move(id, 'fieldwork')).statusCode).toBe(200);
    expect((await move(id, 'moderation')).statusCode).toBe(200);

    const missing = await move(id, 'published');
    expect(missing.statusCode).toBe(409);
    expect(missing.json().detail).toContain('KLOE 6.4');

    // In moderation a final rating changes only through a challenge, not by saving it, even for the lead.
    const k = await kloe(id, '6.4');
    const rate = (user: TestUser, version: number) =>
      api(user, 'PUT', `/api/assessments/${id}/kloes/6.4`, {
        version,
        finalRating: 'uncertain',
        rationale: 'Capacity plans are not yet funded',
      });
    for (const user of [lead, second]) {
      const refused = await rate(user, k.version);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('rating_locked_in_moderation');
    }
    expect((await move(id, 'fieldwork')).statusCode).toBe(200);
    expect((await rate(lead, k.version)).statusCode).toBe(200);
    const rateNode = async (node: string, finalRating: string) => {
      const card = (await api(lead, 'GET', `/api/assessments/${id}/scorecard`)).json();
      const entry = node === 'overall' ? card.overall : card.keyQuestions[0];
      return api(lead, 'PUT', `/api/assessments/${id}/ratings/${node}`, { version: entry.version, finalRating });
    };
    for (const node of ['6', 'overall']) expect((await rateNode(node, 'uncertain')).statusCode).toBe(200);
    expect((await move(id, 'moderation')).statusCode).toBe(200);

    const challenge = await api(second, 'POST', `/api/assessments/${id}/challenges`, {
      targetRef: '6.4',
      comment: 'The workforce plan was funded in March',
    });
    expect(challenge.statusCode, challenge.body).toBe(201);
    const blocked = await move(id, 'published');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().detail).toContain('1 challenge is not yet resolved');

    const resolve = (challengeId: string, reason: string) =>
      api(lead, 'POST', `/api/assessments/${id}/challenges/${challengeId}/resolve`, {
        outcome: 'changed',
        rating: 'promising',
        reason,
      });
    const resolved = await resolve(challenge.json().id, 'Funding confirmed in the March budget');
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await kloe(id, '6.4')).finalRating).toBe('promising');

    // Key question 6 now suggests promising but stays uncertain with no rationale: publishing waits for it,
    // and then for the overall judgement, which it moves in turn.
    for (const [node, label] of [
      ['6', 'key question 6'],
      ['overall', 'the overall judgement'],
    ] as const) {
      const unexplained = await move(id, 'published');
      expect(unexplained.statusCode).toBe(409);
      expect(unexplained.json().detail).toMatch(
        new RegExp(`differ from their suggestion with no rationale written since it last changed: ${label}$`),
      );
      const raised = await api(second, 'POST', `/api/assessments/${id}/challenges`, {
        targetRef: node,
        comment: 'Follows from the KLOE ratings now',
      });
      expect((await resolve(raised.json().id, 'Follows from the moderated KLOE ratings')).statusCode).toBe(200);
    }
    expect((await move(id, 'published', second)).statusCode).toBe(403);
    expect((await move(id, 'published')).statusCode).toBe(200);

    const k2 = await kloe(id, '6.4');
    const edit = await api(lead, 'PUT', `/api/assessments/${id}/kloes/6.4`, { version: k2.version, strengths: ['x'] });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('assessment_published');

    const reopened = await api(lead, 'POST', `/api/assessments/${id}/reopen`, { reason: 'New evidence' });
    expect(reopened.statusCode, reopened.body).toBe(201);
    const next = reopened.json();
    expect(next).toMatchObject({ revision: 2, status: 'fieldwork' });
    expect((await kloe(next.id, '6.4')).finalRating).toBe('promising');
    await api(lead, 'PUT', `/api/assessments/${next.id}/kloes/6.4`, {
      version: (await kloe(next.id, '6.4')).version,
      finalRating: 'uncertain',
      rationale: 'Funding withdrawn',
    });
    expect((await kloe(id, '6.4')).finalRating).toBe('promising'); // the published revision is untouched
  });

  describe('who sees what', () => {
    it('keeps an unshared inspection from the organisation, and an assessment from inspectors not on its team', async () => {
      const { id } = await openInspection();
      for (const who of [member, viewer, otherMember, outsider]) {
        expect((await api(who, 'GET', `/api/assessments/${id}`)).statusCode).toBe(404);
      }
      const listed = (await api(member, 'GET', '/api/assessments')).json();
      expect(listed.assessments.map((a: { id: string }) => a.id)).not.toContain(id);
    });

    it('lets the organisation’s members run their self-assessment, and keeps it from other organisations', async () => {
      const created = await api(member, 'POST', '/api/assessments', {
        organisationId,
        serviceId,
        kind: 'self_assessment',
        title: 'Our self-assessment',
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id } = created.json();
      expect((await api(viewer, 'GET', `/api/assessments/${id}`)).json().permissions.judge).toBe(false);
      expect((await api(otherMember, 'GET', `/api/assessments/${id}`)).statusCode).toBe(404);
      expect((await api(outsider, 'GET', `/api/assessments/${id}`)).statusCode).toBe(404);
      const k = (await api(member, 'GET', `/api/assessments/${id}/kloes/4.3`)).json();
      const saved = await api(member, 'PUT', `/api/assessments/${id}/kloes/4.3`, {
        version: k.version,
        findings: [{ statementRef: '4.3-P1', outcome: 'partly_met' }],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const asViewer = await api(viewer, 'PUT', `/api/assessments/${id}/kloes/4.3`, { version: k.version + 1 });
      expect(asViewer.statusCode).toBe(403);

      const inspection = await api(member, 'POST', '/api/assessments', {
        organisationId,
        serviceId,
        kind: 'inspection',
        title: 'Not ours to open',
      });
      expect(inspection.statusCode).toBe(403);
    });
  });
});
