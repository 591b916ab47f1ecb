/**
 * Evidence search on both databases: the candidate cap (only the newest matches are ranked, and the result
 * says so), ranking among the candidates, files' text found through the item, and the cap's note in the
 * API and on the page.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { searchEvidence, searchWay, SEARCH_CANDIDATES } from './evidence-search.js';
import * as repo from './evidence.repository.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('evidence search', (driver) => {
  const t = useTestApp(driver, {
    evidence: {
      dir: `${process.env.TMPDIR ?? '/tmp'}/kloe-evidence-search-${driver}-${process.pid}`,
      maxBytes: 1024,
      types: ['txt'],
      uploadsAtOnce: 8,
    },
  });
  let member: TestUser;
  let organisationId: string;
  let assessmentId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Search Borough Council' });
    organisationId = organisation.id;
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Drainage',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: member.headers,
      payload: { organisationId, serviceId: service.id, kind: 'self_assessment', title: 'Drainage self-assessment' },
    });
    expect(res.statusCode, res.body).toBe(201);
    assessmentId = res.json().id;
  });

  /** An item made `daysAgo` days ago whose notes say `culvert` so many times. */
  const item = (title: string, daysAgo: number, culverts: number) =>
    repo.insertItem(t.database.db, {
      assessmentId,
      title,
      kind: 'document',
      notes: `Survey. ${'Culvert cleared. '.repeat(culverts)}`,
      createdAt: new Date(Date.now() - daysAgo * 86_400_000),
    });

  it('ranks only the newest matches when more than the cap match, and says so', async () => {
    const oldest = await item('Old survey, culverts everywhere', 50, 9);
    const newest = await item('New survey', 1, 1);
    const middle = await item('Middle survey', 2, 4);
    const older = await item('Older survey', 3, 2);
    const { db } = t.database;
    const q = { q: 'culvert', limit: 10 };

    const capped = await searchEvidence(db, { assessmentId }, q, 3);
    expect(capped).toMatchObject({ capped: true, matches: 3 });
    // the newest three, by rank among them: the oldest item would rank first but is not a candidate
    expect(capped.hits.map((h) => h.itemId)).toEqual([middle.id, older.id, newest.id]);
    expect(capped.hits[0]!.rank).toBeGreaterThan(capped.hits[1]!.rank);

    const whole = await searchEvidence(db, { assessmentId }, q, 4);
    expect(whole).toMatchObject({ capped: false, matches: 4 });
    expect(whole.hits.map((h) => h.itemId)).toEqual([oldest.id, middle.id, older.id, newest.id]);

    // the same across everything the member may see
    const scope = { kind: 'organisation', organisationId } as const;
    const across = await searchEvidence(db, { scope }, { ...q, limit: 1 }, 2);
    expect(across).toMatchObject({ capped: true, matches: 2 });
    expect(across.hits.map((h) => h.itemId)).toEqual([middle.id]);
    const elsewhere = await searchEvidence(db, { scope: { kind: 'organisation', organisationId: SYSTEM_ORG } }, q);
    expect(elsewhere).toEqual({ hits: [], matches: 0, capped: false });
  });

  it('finds the newest matches behind many newer items that do not match', async () => {
    const matching = [];
    for (const daysAgo of [40, 41, 42]) matching.push(await item(`Drain survey ${daysAgo}`, daysAgo, 1));
    await t.database.db.execute(sql`
      insert into evidence_items (assessment_id, title, kind, created_at)
      select ${assessmentId}, 'Kerb report ' || n, 'document', now() - interval '1 hour' * n
      from generate_series(1, 30) n`);
    const { db } = t.database;
    // more than the cap match, but none of the newest items: the walk gives way to the GIN index
    const q = { q: 'drain culvert', limit: 5 };
    const found = await searchEvidence(db, { assessmentId }, q, 2);
    expect(found).toMatchObject({ capped: true, matches: 2 });
    expect(found.hits.map((h) => h.itemId).sort()).toEqual([matching[0]!.id, matching[1]!.id].sort());
    expect(await db.transaction((tx) => searchWay(tx, { assessmentId }, q, 2, 'walk'))).toBeUndefined();
  });

  it('finds the same candidates by walking the newest items as through the GIN index', async () => {
    const { db } = t.database;
    for (const culverts of [1, 2, 3, 4]) {
      await repo.insertItem(db, {
        assessmentId,
        title: `Culvert survey ${culverts}`,
        kind: 'document',
        evidenceDate: '2024-05-01',
        notes: 'Culvert cleared. '.repeat(culverts),
      });
    }
    const scope = { kind: 'organisation', organisationId } as const;
    for (const [where, filters] of [
      [{ assessmentId }, { q: 'culvert', limit: 3 }],
      [{ scope }, { q: 'survey', limit: 20 }],
      [{ assessmentId }, { q: 'culvert', kind: 'document', from: '2000-01-01', limit: 20 }],
      [{ assessmentId }, { q: '"culvert cleared"', limit: 20 }],
    ] as const) {
      const [walked, walkedAll, indexed] = await db.transaction(async (tx) => [
        await searchWay(tx, where, filters, 3, 'walk'),
        await searchWay(tx, where, filters, 3, 'walk all'),
        await searchWay(tx, where, filters, 3, 'index'),
      ]);
      expect(walked).toMatchObject({ capped: true, matches: 3 });
      expect(walked).toEqual(indexed);
      expect(walkedAll).toEqual(indexed);
    }
    // walking as far as needed answers when few match, as the GIN way does
    const few = { q: '"drain survey"', limit: 20 };
    const [walkedAll, indexed] = await db.transaction(async (tx) => [
      await searchWay(tx, { assessmentId }, few, 3, 'walk all'),
      await searchWay(tx, { assessmentId }, few, 3, 'index'),
    ]);
    expect(indexed).toMatchObject({ capped: false, matches: 3 });
    expect(walkedAll).toEqual(indexed);
  });

  it('finds an item by its files’ text once the text arrives, with the file’s snippet', async () => {
    const { db } = t.database;
    const row = await item('Outfall inspection', 0, 0);
    const { file } = await repo.upsertFile(db, {
      sha256: 'a'.repeat(64),
      size: 10,
      mediaType: 'text/plain',
      originalName: 'outfall.txt',
    });
    await repo.attachFile(db, { itemId: row.id, fileId: file.id, fileName: 'outfall.txt' });
    const q = { q: 'sediment', limit: 5 };
    expect((await searchEvidence(db, { assessmentId }, q)).hits).toEqual([]);

    await repo.setExtraction(db, file.id, { status: 'done', text: 'Heavy sediment at the outfall grille.' });
    const found = await searchEvidence(db, { assessmentId }, q);
    expect(found.hits.map((h) => [h.itemId, h.fileId])).toEqual([[row.id, file.id]]);
    expect(found.hits[0]!.snippet).toContain('\uE000sediment\uE001');

    // words split between the item's own text and its file still find it; the snippet is the item's text
    const split = await searchEvidence(db, { assessmentId }, { q: 'outfall inspection grille', limit: 5 });
    expect(split.hits.map((h) => h.itemId)).toEqual([row.id]);
  });

  it('tells API and page readers when more than the cap match', async () => {
    await t.database.db.execute(sql`
      insert into evidence_items (assessment_id, title, kind)
      select ${assessmentId}, 'Gully report ' || n, 'document' from generate_series(1, ${SEARCH_CANDIDATES + 1}) n`);
    const api = await t.app.inject({
      url: `/api/assessments/${assessmentId}/evidence/search?q=gully&limit=5`,
      headers: member.headers,
    });
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json()).toMatchObject({ matches: SEARCH_CANDIDATES, capped: true });
    expect(api.json().results).toHaveLength(5);

    const page = await t.app.inject({
      url: `/assessments/${assessmentId}/evidence/search?q=gully`,
      headers: member.headers,
    });
    expect(page.body).toContain('More than 1,000 items match: these are the best among the newest 1,000.');

    const few = await t.app.inject({ url: '/api/evidence/search?q=sediment', headers: member.headers });
    expect(few.json()).toMatchObject({ matches: 1, capped: false });
  });
});

/** An organisation id no one belongs to. */
const SYSTEM_ORG = '00000000-0000-4000-8000-000000000000';
