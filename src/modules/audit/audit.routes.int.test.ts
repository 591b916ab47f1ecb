import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { entryIds, recordChange } from './testing/record.js';

describeEachDatabase('audit routes', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let inspector: TestUser;

  beforeAll(async () => {
    admin = await createTestUser(t.database.db, 'administrator');
    inspector = await createTestUser(t.database.db, 'inspector');
    await recordChange(t.database.db, { entityId: 'org-watched', reason: 'merged with <Leeds> & co' });
    for (let n = 0; n < 51; n++) await recordChange(t.database.db, { entityType: 'bulk', entityId: `b-${n}` });
  });

  const get = (url: string, who?: TestUser) => t.app.inject({ url, headers: who?.headers ?? {} });

  describe('GET /api/audit', () => {
    it('lists filtered entries for administrators', async () => {
      const res = await get('/api/audit?entityType=organisation&entityId=org-watched', admin);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(body.entries[0]).toMatchObject({
        action: 'organisation.updated',
        actorLabel: 'Ada Okafor <ada@example.test>',
        after: { name: 'Leeds City Council', type: 'metropolitan' },
        reason: 'merged with <Leeds> & co',
      });
      expect(body.entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
      const second = (await get('/api/audit?entityType=bulk&offset=50', admin)).json();
      expect(second).toMatchObject({ total: 51, limit: 50, offset: 50 });
      expect(second.entries).toHaveLength(1);
    });

    it.each([
      ['an impossible date', 'from=2026-02-30', 'querystring.from'],
      ['a date in another form', 'to=31/03/2026', 'querystring.to'],
      ['a to date before the from date', 'from=2026-03-02&to=2026-03-01', 'querystring.to'],
      ['an offset that is not a number', 'offset=two', 'querystring.offset'],
    ])('refuses %s with problem+json naming the field', async (_name, query, field) => {
      const res = await get(`/api/audit?${query}`, admin);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'invalid_request', errors: [expect.objectContaining({ field })] });
    });
  });

  it('describes both routes in the OpenAPI document, with the filters', async () => {
    const paths = (await get('/api/openapi.json')).json().paths;
    expect(paths['/api/audit'].get.tags).toEqual(['audit']);
    const parameters = paths['/api/audit'].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(
      expect.arrayContaining(['actorId', 'q', 'action', 'entityType', 'entityId', 'from', 'to', 'limit', 'offset']),
    );
    expect(paths['/api/audit/verify'].get.tags).toEqual(['audit']);
  });

  describe('GET /api/audit/verify', () => {
    it('reports an intact chain with every entry checked', async () => {
      const res = await get('/api/audit/verify', admin);
      expect(res.statusCode).toBe(200);
      const ids = await entryIds(t.database.db);
      expect(res.json()).toEqual({
        ok: true,
        checked: ids.length,
        problems: [],
        head: { entryId: ids.at(-1), hash: expect.any(String) },
      });
    });
  });

  it.each(['/api/audit', '/api/audit/verify'])('keeps %s to administrators', async (url) => {
    const anonymous = await get(url);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const forbidden = await get(url, inspector);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect(forbidden.json().code).toBe('forbidden');
  });

  it.each(['/admin/audit', '/admin/audit/verify'])(
    'sends people who are not signed in from %s to sign in',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
      expect((await get(url, inspector)).statusCode).toBe(403);
    },
  );

  describe('the audit page', () => {
    it('shows entries with their changes, and keeps the filters in the form', async () => {
      const res = await get(
        '/admin/audit?q=ada&entityType=organisation&entityId=org-watched&from=2020-01-01&action=',
        admin,
      );
      expect(res.statusCode).toBe(200);
      const html = res.body.replace(/\s+/g, ' ');
      expect(html).toContain('<title>Audit trail – kloe</title>');
      const kept = { q: 'ada', entityType: 'organisation', entityId: 'org-watched' };
      for (const [name, value] of Object.entries(kept))
        expect(html).toContain(`id="${name}" name="${name}" type="text" spellcheck="false" value="${value}"`);
      expect(html).toContain('id="action" name="action" type="text" spellcheck="false" aria-describedby');
      // The date a link gives (from=2020-01-01) fills the GOV.UK date input's day, month and year.
      expect(html).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s"> From </legend>');
      for (const [part, value] of Object.entries({ day: '1', month: '1', year: '2020' }))
        expect(html).toMatch(new RegExp(`id="from-${part}" name="from-${part}" type="text" value="${value}"`));
      expect(html).toContain('Entries, newest first');
      expect(html).toContain('1 to 1 of 1');
      expect(html).toContain('Organisation updated');
      expect(html).toContain('merged with &lt;Leeds&gt; &amp; co');
      expect(html).toMatch(/1 changed field<span class="govuk-visually-hidden"> of entry \d+<\/span>/);
      expect(html).toMatch(
        /<span class="govuk-!-font-weight-bold">type<\/span>: district <span aria-hidden="true">→<\/span><span class="govuk-visually-hidden">changed to<\/span> metropolitan/,
      );
      expect(html).toContain('href="/admin/audit?entityType=organisation&amp;entityId=org-watched"');
      expect(html).not.toContain('govuk-pagination');
    });

    it('paginates 50 entries a page, keeping the filters in the links', async () => {
      const html = (await get('/admin/audit?entityType=bulk', admin)).body;
      expect(html).toContain('1 to 50 of 51');
      expect(html).toContain('href="/admin/audit?entityType=bulk&amp;page=2" rel="next"');
      const second = (await get('/admin/audit?entityType=bulk&page=2', admin)).body;
      expect(second).toContain('51 to 51 of 51');
      expect(second).toContain('href="/admin/audit?entityType=bulk" rel="prev"');
    });

    it('says so when nothing matches', async () => {
      const html = (await get('/admin/audit?entityType=nothing-like-this', admin)).body;
      expect(html).toContain('No entries match these filters.');
      expect(html).not.toContain('<table');
    });

    it('shows a bad date beside its field, keeping what was typed', async () => {
      const res = await get(
        '/admin/audit?from-day=30&from-month=2&from-year=2026&to-day=&to-month=&to-year=&q=ada',
        admin,
      );
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error: Audit trail – kloe</title>');
      expect(res.body).toContain('href="#from-day">The first day must be a real date</a>');
      expect(res.body).toMatch(/id="from-error"[\s\S]*The first day must be a real date/);
      expect(res.body).toMatch(/id="from-day"[^>]*value="30"/);
      expect(res.body).toMatch(/id="from-month"[^>]*value="2"/);
      expect(res.body).toContain('value="ada"');
      expect(res.body).not.toContain('<table');
      const reversed = await get(
        '/admin/audit?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026',
        admin,
      );
      expect(reversed.statusCode).toBe(400);
      expect(reversed.body).toContain('href="#to-day"');
    });
  });

  describe('the chain check page', () => {
    it('shows an intact chain and the anchor to keep', async () => {
      const ids = await entryIds(t.database.db);
      const html = (await get('/admin/audit/verify', admin)).body;
      expect(html).toContain('Audit trail intact');
      expect(html).toContain(`${ids.length} entries checked`);
      expect(html).toMatch(new RegExp(`kloe audit verify --anchor ${ids.at(-1)}:[0-9a-f]{64}`));
    });

    it('names the altered entry after someone edits the table', async () => {
      const [, second] = await entryIds(t.database.db);
      const db = t.database.db;
      const { rows } = (await db.execute(sql`select reason from audit_log where id = ${second!}`)) as unknown as {
        rows: { reason: string | null }[];
      };
      await db.execute(sql`update audit_log set reason = 'edited by hand' where id = ${second!}`);
      try {
        const res = await get('/admin/audit/verify', admin);
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('The audit trail has been tampered with');
        expect(res.body).toMatch(new RegExp(`<li>entry ${second} \\(\\S+ at \\S+\\) has been altered\\.</li>`));
        expect((await get('/api/audit/verify', admin)).json()).toMatchObject({
          ok: false,
          problem: { entryId: second, kind: 'edited' },
        });
      } finally {
        await db.execute(sql`update audit_log set reason = ${rows[0]!.reason} where id = ${second!}`);
      }
      expect((await get('/api/audit/verify', admin)).json().ok).toBe(true);
    });
  });
});
