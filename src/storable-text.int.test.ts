/**
 * The text rule at the edge (src/web/storable-text.ts): a NUL character or an unpaired surrogate in any
 * string a route is sent — query, route parameter, JSON, urlencoded or multipart body — is a 400 naming
 * the field, on every registered route, and nothing of the request is kept. Routes come from the app's
 * own list, so a new route is covered the moment it is registered.
 */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { describeEachDatabase } from './db/testing/test-database.js';
import type { RouteAccess } from './modules/accounts/access.hooks.js';
import type { Role } from './modules/accounts/accounts.tables.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { auditLog } from './modules/audit/audit.tables.js';
import { multipartBody } from './files/multipart-body.js';
import { organisations, services } from './modules/organisations/organisations.tables.js';
import { submitForm } from './testing/forms.js';
import { useTestApp } from './testing/test-app.js';
import { createTestUser, type TestUser } from './testing/test-users.js';

const NUL = 'a\u0000b';
const LONE = 'x\ud800y';

/** Library routes (static assets, API documentation) take no text of ours. */
const isLibrary = (url: string) => /^\/(assets|api\/docs)(\/|$)/.test(url);
const isPage = (url: string) => !url.startsWith('/api/') && url !== '/health';

describeEachDatabase('text the database cannot store', (driver) => {
  const t = useTestApp(driver);
  const people = new Map<Role, TestUser>();
  let orgA = '';
  let assessmentA = '';

  beforeAll(async () => {
    const db = t.database.db;
    const [a] = await db.insert(organisations).values({ code: 'TEXT-A', name: 'Text A', type: 'council' }).returning();
    const [service] = await db.insert(services).values({ organisationId: a!.id, name: 'Repairs' }).returning();
    orgA = a!.id;
    for (const role of ['administrator', 'inspector', 'organisation_member', 'viewer'] as const) {
      const organisationId = role === 'organisation_member' || role === 'viewer' ? a!.id : null;
      people.set(role, await createTestUser(db, role, { organisationId }));
    }
    const assessment = await createAssessmentsService({ db }).create(
      { kind: 'system', label: 'test' },
      {
        organisationId: a!.id,
        serviceId: service!.id,
        kind: 'self_assessment',
        title: 'Text self-assessment',
        frameworkId: 'audit-commission-j2',
        leadUserId: people.get('organisation_member')!.actor.userId,
      },
    );
    assessmentA = assessment.id;
  });

  const routes = () => t.app.routeAccess.filter((r) => !isLibrary(r.url) && r.method !== 'HEAD');

  /** Someone the route admits, so the request gets past the access check to the text rule. */
  function headersFor(route: RouteAccess): Record<string, string> {
    if (route.access === 'public') return {};
    const role = route.access === 'signed-in' ? 'administrator' : (route.access.roles[0] as Role);
    return { ...people.get(role)!.headers };
  }

  /** Real ids where the route takes them; `bad` replaces the named parameter. */
  function urlFor(route: RouteAccess, bad?: string): string {
    return route.url.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === bad) return encodeURIComponent(NUL);
      if (name === 'id' && route.url.includes('/organisations/')) return orgA;
      if (name === 'id' && route.url.includes('/assessments/')) return assessmentA;
      if (name === 'ref') return '4.1';
      return randomUUID();
    });
  }

  /**
   * Sends each route what `request` makes of it and lists every answer that is not the rule's 400 with
   * `mark` in it (an API problem names the field; a page lists it in the GOV.UK error summary).
   */
  async function refusals(request: (route: RouteAccess) => { options: InjectOptions; mark: string } | undefined) {
    const failures: string[] = [];
    for (const route of routes()) {
      const sent = request(route);
      if (!sent) continue;
      const res = await t.app.inject({ method: route.method as 'GET', headers: headersFor(route), ...sent.options });
      const summary = !isPage(route.url) || res.body.includes('govuk-error-summary');
      if (res.statusCode !== 400 || !summary || !res.body.includes(sent.mark)) {
        failures.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    return failures;
  }

  /** How each side names a field: "body.note" in a problem document, "note" in a page's error summary. */
  const named = (route: RouteAccess, where: string, field: string) =>
    isPage(route.url) ? `${field}: must not contain` : `"field":"${where}.${field}","message":"must not contain`;

  it('refuses a NUL in the query string of every route', async () => {
    const failures = await refusals((route) => ({
      options: { url: `${urlFor(route)}?q=${encodeURIComponent(NUL)}` },
      mark: named(route, 'querystring', 'q'),
    }));
    expect(failures).toEqual([]);
  });

  it('refuses a NUL in a route parameter of every route that has one', async () => {
    const failures = await refusals((route) => {
      const param = /:(\w+)/.exec(route.url)?.[1];
      if (!param) return undefined;
      return { options: { url: urlFor(route, param) }, mark: named(route, 'params', param) };
    });
    expect(failures).toEqual([]);
  });

  it('refuses a NUL or an unpaired surrogate anywhere in the body of every route that takes one', async () => {
    const withBody = (route: RouteAccess) => route.method !== 'GET';
    const json = await refusals((route) =>
      !withBody(route) || isPage(route.url)
        ? undefined
        : {
            options: { url: urlFor(route), payload: { name: 'Fine', notes: { list: ['ok', NUL] } } },
            mark: named(route, 'body', 'notes.list.1'),
          },
    );
    const lone = await refusals((route) =>
      !withBody(route) || isPage(route.url)
        ? undefined
        : {
            options: { url: urlFor(route), payload: { reason: LONE } },
            mark: `"field":"body.reason","message":"must not contain an unpaired surrogate (U+D800)`,
          },
    );
    const forms = await refusals((route) =>
      !withBody(route) || !isPage(route.url)
        ? undefined
        : {
            options: {
              url: urlFor(route),
              headers: { ...headersFor(route), 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams({ title: 'Fine', note: NUL }).toString(),
            },
            mark: named(route, 'body', 'note'),
          },
    );
    expect([...json, ...lone, ...forms]).toEqual([]);
  });

  it('answers 400 where a NUL or an unpaired surrogate used to reach the database, and keeps nothing', async () => {
    const db = t.database.db;
    const admin = people.get('administrator')!.headers;
    const inspector = people.get('inspector')!.headers;
    const lead = people.get('organisation_member')!.headers; // the self-assessment's lead, who may add evidence
    const viewer = people.get('viewer')!.actor.userId;
    const rows = async () => ({
      organisations: (await db.select({ n: count() }).from(organisations))[0]!.n,
      audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
    });
    const before = await rows();
    const q = encodeURIComponent(NUL);
    const upload = multipartBody({ title: NUL, kind: 'document' }, [{ name: 'plan.txt', bytes: Buffer.from('plan') }]);
    const cases = [
      // Each of these answered 500: the database refused the NUL, or the audit entry's jsonb the surrogate.
      {
        method: 'POST',
        url: '/api/organisations',
        payload: { code: 'NUL-1', name: NUL, type: 'council' },
        field: 'body.name',
      },
      {
        method: 'POST',
        url: '/api/organisations',
        payload: { code: 'SUR-1', name: LONE, type: 'council' },
        field: 'body.name',
      },
      { method: 'GET', url: `/api/organisations?q=${q}`, field: 'querystring.q' },
      { method: 'GET', url: `/api/audit?q=${q}`, field: 'querystring.q' },
      { method: 'GET', url: `/api/evidence/search?q=${q}`, field: 'querystring.q', headers: inspector },
      {
        method: 'POST',
        url: `/api/assessments/${assessmentA}/evidence`,
        payload: upload.payload,
        field: 'body.title',
        headers: { ...lead, ...upload.headers },
      },
      // Answered 200, with U+FFFD stored in the audited reason in place of the surrogate.
      { method: 'PATCH', url: `/api/users/${viewer}`, payload: { disabled: true, reason: LONE }, field: 'body.reason' },
    ] as const;
    for (const { field, ...request } of cases) {
      const res = await t.app.inject({ headers: admin, ...request });
      expect({ url: request.url, status: res.statusCode }).toEqual({ url: request.url, status: 400 });
      expect(res.json()).toMatchObject({ code: 'unstorable_text', errors: [{ field }] });
    }
    expect(await rows()).toEqual(before);
    expect((await db.select().from(organisations).where(eq(organisations.code, 'NUL-1'))).length).toBe(0);
  });

  it('shows a page form post the GOV.UK error summary naming the field, not "Internal server error"', async () => {
    // As a browser sends it, CSRF token and all: the post must fail on its text, not on anything else.
    const res = await submitForm(t.app, {
      page: '/organisations/new',
      headers: people.get('administrator')!.headers,
      fields: { code: 'NUL-2', name: NUL, type: 'council' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('name: must not contain a NUL character (U+0000)');
  });
});
