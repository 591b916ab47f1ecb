import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import type { Analysis } from './analysis.types.js';
import { seedSmallSet } from './testing/small-national-set.js';

const html = { accept: 'text/html' };

describeEachDatabase('comparator groups and defining indicators', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let member: TestUser;
  let viewer: TestUser;
  let set: Awaited<ReturnType<typeof seedSmallSet>>;
  const prefix = 'CG';
  const code = (n: number) => `${prefix}-O${n}`;

  beforeAll(async () => {
    const { db } = t.database;
    set = await seedSmallSet(db, prefix);
    for (const n of [1, 2]) await createTestOrganisation(db, { code: `${prefix}-F${n}`, type: 'fire_service' });
    // Health bodies with the small set's figures: no other organisations of their type to disturb distances.
    for (const [i, o] of set.orgs.entries())
      await createTestOrganisation(db, { code: `${prefix}-H${i + 1}`, type: 'health_body', attributes: o.attributes });
    inspector = await createTestUser(db, 'inspector');
    member = await createTestUser(db, 'organisation_member', { organisationId: set.orgs[0]!.id });
    viewer = await createTestUser(db, 'viewer', { organisationId: set.orgs[0]!.id });
  });

  const create = (user: TestUser, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/indicators/comparator-groups', headers: user.headers, payload });
  const fieldsOf = (res: { json: () => unknown }) =>
    ((res.json() as { errors?: { field: string; message: string }[] }).errors ?? []).map((e) => [e.field, e.message]);

  it('creates a group of every provider of a type, counted in the list', async () => {
    const res = await create(inspector, { name: 'All fire services', kind: 'type', organisationType: 'fire_service' });
    expect(res.statusCode).toBe(201);
    expect(res.json().members.map((m: { code: string }) => m.code)).toEqual([`${prefix}-F1`, `${prefix}-F2`]);
    const list = await t.app.inject({ url: '/api/indicators/comparator-groups', headers: member.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().groups).toContainEqual(
      expect.objectContaining({ name: 'All fire services', kind: 'type', memberCount: 2 }),
    );
  });

  it('creates a list group from codes and ids, and the analysis with ?group= compares with its members', async () => {
    const res = await create(inspector, {
      name: 'Hand-picked',
      kind: 'list',
      organisations: [code(1), set.orgs[1]!.id, code(3).toLowerCase()],
    });
    expect(res.statusCode).toBe(201);
    const group = res.json();
    expect(group.memberCount).toBe(3);
    const analysis = await t.app.inject({
      url: `/api/indicators/organisations/${set.orgs[0]!.id}/analysis?group=${group.id}`,
      headers: inspector.headers,
    });
    expect(analysis.statusCode).toBe(200);
    const body = analysis.json() as Analysis;
    expect(body.group).toMatchObject({ name: 'Hand-picked', kind: 'list' });
    // The organisation itself is never one of its comparators.
    expect(body.group.members.map((m) => m.code)).toEqual([code(2), code(3)]);
    const { rows } = (await t.database.db.execute(
      sql`select action, actor_id from audit_log where entity_id = ${group.id}`,
    )) as unknown as { rows: { action: string; actor_id: string }[] };
    expect(rows).toEqual([{ action: 'comparator_group.created', actor_id: inspector.actor.userId }]);
  });

  it('creates a nearest-neighbours group with the attributes compared and each member’s distance', async () => {
    const res = await create(inspector, { name: 'Near H1', kind: 'nearest', anchor: `${prefix}-H1`, size: 2 });
    expect(res.statusCode).toBe(201);
    const group = res.json();
    expect(group.anchor.code).toBe(`${prefix}-H1`);
    expect(group.attributes).toEqual(['population', 'deprivationScore']);
    // Standardised over the five: H2 (120,000; 13) is nearest H1 (100,000; 10), then H3 (90,000; 16).
    expect(group.members.map((m: { code: string }) => m.code)).toEqual([`${prefix}-H2`, `${prefix}-H3`]);
    expect(group.members[0].distance).toBeCloseTo(0.7515, 3);
    expect(group.members[1].distance).toBeCloseTo(1.4199, 3);
    expect(group.members[0].attributes).toEqual({ population: 120_000, deprivationScore: 13 });
    const again = await t.app.inject({
      url: `/api/indicators/comparator-groups/${group.id}`,
      headers: inspector.headers,
    });
    expect(again.json().members).toEqual(group.members);
    // A viewer sees who is in the group, but not the attributes of organisations other than their own.
    const forViewer = await t.app.inject({
      url: `/api/indicators/comparator-groups/${group.id}`,
      headers: viewer.headers,
    });
    expect(forViewer.statusCode).toBe(200);
    expect(forViewer.json().members.map((m: { code: string; attributes: object }) => [m.code, m.attributes])).toEqual([
      [`${prefix}-H2`, {}],
      [`${prefix}-H3`, {}],
    ]);
    const page = await t.app.inject({
      url: `/indicators/comparator-groups/${group.id}`,
      headers: { ...inspector.headers, ...html },
    });
    expect(page.body).toContain('Compared on');
    expect(page.body).toMatch(/0\.751<\/td>/);
  });

  it.each([
    [
      {},
      [
        ['body.name', 'Enter a name for the group'],
        ['body.kind', 'Choose the kind of group: type, list or nearest'],
      ],
    ],
    [{ name: 'X', kind: 'type' }, [['body.organisationType', 'Choose a type of organisation']]],
    [
      { name: 'X', kind: 'type', organisationType: 'castle' },
      [['body.organisationType', 'Choose a type of organisation']],
    ],
    [
      { name: 'X', kind: 'list', organisations: [code(1), code(1)] },
      [['body.organisations', 'Choose at least 2 different organisations']],
    ],
    [
      { name: 'X', kind: 'list', organisations: [code(1), 'NOPE'] },
      [['organisations', 'No organisation has the id or code "NOPE"']],
    ],
    [
      { name: 'X', kind: 'nearest', anchor: 'NOPE', size: 3 },
      [['anchor', 'No organisation has the id or code "NOPE"']],
    ],
    [{ name: 'X', kind: 'nearest', anchor: code(1), size: 0 }, [['body.size', 'A group needs at least 1 neighbour']]],
    [{ name: 'X', kind: 'nearest', anchor: code(1) }, [['body.size', 'Enter how many neighbours the group has']]],
    [
      { name: 'X', kind: 'nearest', anchor: `${prefix}-F1`, size: 3 },
      [
        [
          'anchor',
          `${prefix}-F1 has no contextual attributes shared with other providers of its type to measure distance on`,
        ],
      ],
    ],
  ])('refuses %j naming the field', async (payload, expected) => {
    const res = await create(inspector, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(res)).toEqual(expected);
  });

  it('refuses a name already taken (409 naming the field)', async () => {
    const res = await create(inspector, { name: 'All fire services', kind: 'type', organisationType: 'police' });
    expect(res.statusCode).toBe(409);
    expect(fieldsOf(res)).toEqual([['name', 'A comparator group called All fire services exists']]);
  });

  it('lets neither a member nor a viewer create or delete a group', async () => {
    const payload = { name: 'Not mine', kind: 'type', organisationType: 'police' };
    expect((await create(member, payload)).statusCode).toBe(403);
    expect((await create(viewer, payload)).statusCode).toBe(403);
    const { groups } = (
      await t.app.inject({ url: '/api/indicators/comparator-groups', headers: inspector.headers })
    ).json() as { groups: { id: string; name: string }[] };
    const id = groups.find((g) => g.name === 'Hand-picked')!.id;
    for (const user of [member, viewer])
      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/api/indicators/comparator-groups/${id}`,
            headers: user.headers,
          })
        ).statusCode,
      ).toBe(403);
    const page = await t.app.inject({ url: '/indicators/comparator-groups', headers: { ...viewer.headers, ...html } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Create a comparator group');
  });

  it('creates a group through the page, keeping the input when it is refused', async () => {
    const refused = await submitForm(t.app, {
      page: '/indicators/comparator-groups',
      headers: { ...inspector.headers, ...html },
      fields: { name: 'From the page', kind: 'list', organisations: `${code(4)}\nNOWHERE` },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('href="#organisations"');
    expect(refused.body).toContain('No organisation has the id or code &quot;NOWHERE&quot;');
    expect(refused.body).toContain('value="From the page"');
    expect(refused.body).toContain(`${code(4)}\nNOWHERE</textarea>`);
    const done = await submitForm(t.app, {
      page: '/indicators/comparator-groups',
      headers: { ...inspector.headers, ...html },
      fields: { name: 'From the page', kind: 'list', organisations: `${code(4)}, ${code(5)}` },
    });
    expect(done.statusCode).toBe(303);
    const page = await t.app.inject({ url: done.headers.location!, headers: { ...inspector.headers, ...html } });
    expect(page.body).toContain('The comparator group has been created.');
    expect(page.body).toContain(`>${code(5)}</th>`);
  });

  it('deletes a group after asking, and the analysis no longer finds it', async () => {
    const created = (
      await create(inspector, { name: 'Short-lived', kind: 'list', organisations: [code(4), code(5)] })
    ).json();
    const base = `/indicators/comparator-groups/${created.id}`;
    const confirm = await t.app.inject({ url: `${base}/delete`, headers: { ...inspector.headers, ...html } });
    expect(confirm.body).toContain('Delete “Short-lived”?');
    const deleted = await submitForm(t.app, {
      page: `${base}/delete`,
      headers: { ...inspector.headers, ...html },
      fields: {},
    });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/indicators/comparator-groups?done=deleted');
    const gone = await t.app.inject({
      url: `/api/indicators/comparator-groups/${created.id}`,
      headers: inspector.headers,
    });
    expect(gone.statusCode).toBe(404);
    const analysis = await t.app.inject({
      url: `/api/indicators/organisations/${set.orgs[0]!.id}/analysis?group=${created.id}`,
      headers: inspector.headers,
    });
    expect(analysis.statusCode).toBe(404);
  });

  it('offers the groups on the analysis page and reloads it with the chosen one', async () => {
    const { groups } = (
      await t.app.inject({ url: '/api/indicators/comparator-groups', headers: inspector.headers })
    ).json() as { groups: { id: string; name: string }[] };
    const nearH1 = groups.find((g) => g.name === 'Near H1')!;
    const url = `/indicators/organisations/${set.orgs[0]!.id}`;
    const byDefault = await t.app.inject({ url: `${url}?group=`, headers: { ...inspector.headers, ...html } });
    expect(byDefault.statusCode).toBe(200);
    expect(byDefault.body).toContain('<option value="" selected>Nearest neighbours (default)</option>');
    const chosen = await t.app.inject({ url: `${url}?group=${nearH1.id}`, headers: { ...inspector.headers, ...html } });
    expect(chosen.body).toContain(`<option value="${nearH1.id}" selected>Near H1</option>`);
    expect(chosen.body).toContain('<strong>Near H1</strong>');
    expect(chosen.body).toContain(`analysis.csv?group=${nearH1.id}`);
  });

  it('defines an indicator through the page, keeping the input when it is refused', async () => {
    const fields = {
      code: `${prefix}-NEW`,
      title: 'Homes with a gas safety check',
      unit: '%',
      polarity: 'target',
      target: 'about 100',
      category: 'performance',
      serviceArea: 'Housing safety',
      periodType: 'quarter',
    };
    const refused = await submitForm(t.app, {
      page: '/indicators/new',
      headers: { ...inspector.headers, ...html },
      fields: { ...fields, title: '' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#title"');
    expect(refused.body).toContain('Enter a title');
    expect(refused.body).toContain('Enter the target as a number, like 95');
    expect(refused.body).toContain('value="about 100"');
    expect(refused.body).toContain('value="Housing safety"');
    expect(refused.body).toMatch(/value="quarter" checked/);
    const done = await submitForm(t.app, {
      page: '/indicators/new',
      headers: { ...inspector.headers, ...html },
      fields: { ...fields, target: '100' },
    });
    expect(done.statusCode).toBe(303);
    const listed = (await t.app.inject({ url: '/api/indicators', headers: viewer.headers })).json() as {
      indicators: { code: string; target: number | null; periodType: string }[];
    };
    expect(listed.indicators).toContainEqual(
      expect.objectContaining({ code: `${prefix}-NEW`, target: 100, periodType: 'quarter' }),
    );
    const forMember = await t.app.inject({ url: '/indicators/new', headers: { ...member.headers, ...html } });
    expect(forMember.statusCode).toBe(403);
  });
});
