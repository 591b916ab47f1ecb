import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

interface Suggestion {
  statementRef: string;
  status: string;
  passage: string | null;
}

describeEachDatabase('evidence suggestions', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Suggestion Borough Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Housing repairs',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: { organisationId: organisation.id, serviceId: service.id, kind: 'self_assessment', title: 'Repairs SA' },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });

  const base = () => `/api/assessments/${assessmentId}/evidence`;
  async function addItem(notes: string, title = 'Inspection note') {
    const res = await t.app.inject({
      method: 'POST',
      url: base(),
      headers: member.headers,
      payload: { title, kind: 'observation', notes },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; suggestions: Suggestion[] };
  }
  const detail = async (itemId: string) =>
    (await t.app.inject({ url: `${base()}/${itemId}`, headers: member.headers })).json() as {
      suggestions: Suggestion[];
      links: { statementRef: string; stance: string }[];
    };
  const decide = (itemId: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `${base()}/${itemId}/suggestions`, headers: member.headers, payload });

  it('ranks by the rare words a statement shares with the evidence, and shows the passage that matched', async () => {
    const item = await addItem(
      'The repairs contract was let through a partnering framework with open-book accounting; the council joined a regional purchasing consortium and its procurement strategy was refreshed.',
    );
    // "procurement" and "partnering" are rare among the statements: those using them come first.
    expect(item.suggestions.slice(0, 3).map((s) => s.statementRef)).toContainEqual(expect.stringMatching(/^6\.3-/));
    expect(item.suggestions[0]!.statementRef).toMatch(/^(6\.3|4\.4)-/);
    // The passage is the evidence's own words, the matching ones marked.
    expect(item.suggestions[0]!.passage).toContain('«procurement»');
  });

  it('scores a statement with its sub-items: the learning sources of 5.2.4-P4', async () => {
    const item = await addItem(
      'Complaints, compliments and staff suggestions are analysed every quarter; best practice from other providers in the voluntary sector is assembled and shared after external inspections.',
    );
    expect(item.suggestions[0]!.statementRef).toBe('5.2.4-P4');
  });

  it('accepts several suggestions at once, all or none', async () => {
    const item = await addItem(
      'Councillors scrutinise performance; members challenge managers on performance information.',
    );
    const [a, b] = item.suggestions.map((s) => s.statementRef);
    const refused = await decide(item.id, { statementRefs: [a, 'not-a-statement'], decision: 'accepted' });
    expect(refused.statusCode).toBe(400);
    expect((await detail(item.id)).links).toEqual([]); // the first was not kept either

    const empty = await decide(item.id, { statementRefs: [], decision: 'accepted' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors ?? empty.json().problems ?? empty.body).toBeTruthy();
    expect(empty.body).toContain('statementRefs');

    const accepted = await decide(item.id, { statementRefs: [a, b], decision: 'accepted' });
    expect(accepted.statusCode, accepted.body).toBe(204);
    const after = await detail(item.id);
    expect(after.links.map((l) => `${l.statementRef} ${l.stance}`).sort()).toEqual(
      [`${a} supports`, `${b} supports`].sort(),
    );
    expect(
      after.suggestions
        .filter((s) => s.status === 'accepted')
        .map((s) => s.statementRef)
        .sort(),
    ).toEqual([a, b].sort());
  });

  it('never suggests as supporting a statement the evidence is linked to as contradicting', async () => {
    const notes = 'The procurement strategy is out of date and contracts are let on lowest price with no partnering.';
    const item = await addItem(notes);
    const top = item.suggestions[0]!.statementRef;
    const link = await t.app.inject({
      method: 'POST',
      url: `${base()}/${item.id}/links`,
      headers: member.headers,
      payload: { target: top, stance: 'contradicts' },
    });
    expect(link.statusCode, link.body).toBe(201);
    // Linked, so no longer offered; ranked again (its details changed), still not offered.
    expect((await detail(item.id)).suggestions.map((s) => s.statementRef)).not.toContain(top);
    const changed = await t.app.inject({
      method: 'PUT',
      url: `${base()}/${item.id}`,
      headers: member.headers,
      payload: { title: 'Procurement review', kind: 'observation', notes: `${notes} Procurement again.` },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const again = await detail(item.id);
    expect(again.suggestions.length).toBeGreaterThan(0);
    expect(again.suggestions.map((s) => s.statementRef)).not.toContain(top);
  });

  it('on the page: tick several and accept them together; ticking none says so', async () => {
    const item = await addItem(
      'Unit costs of each repair trade are reported monthly and used to renegotiate the schedule of rates.',
    );
    const page = `/assessments/${assessmentId}/evidence/${item.id}`;
    const html = (await t.app.inject({ url: page, headers: member.headers })).body;
    expect(html).toContain('Ranked by BM25');
    expect(html).toContain('Passage that matched');
    expect(html).toMatch(/<mark>[^<]+<\/mark>/);
    const none = await submitForm(t.app, {
      page,
      action: `${page}/suggestions`,
      headers: member.headers,
      fields: { decision: 'accepted' },
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#suggestions"');
    expect(none.body).toContain('Choose at least one suggested statement');

    const refs = item.suggestions.slice(0, 2).map((s) => s.statementRef);
    const both = await submitForm(t.app, {
      page,
      action: `${page}/suggestions`,
      headers: member.headers,
      fields: { statementRefs: refs, decision: 'accepted' },
    });
    expect(both.statusCode, both.body).toBe(303);
    expect(both.headers.location).toBe(`${page}?done=accepted-several#suggestions`);
    expect((await detail(item.id)).links.map((l) => l.statementRef).sort()).toEqual([...refs].sort());
  });
});
