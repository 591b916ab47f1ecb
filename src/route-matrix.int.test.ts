/**
 * Every registered route, called as every kind of person, answers as its declared access says:
 * anonymous → 401 (or, for a page, a redirect to sign-in); a role the route does not admit → 403;
 * an admitted role → neither, and past the route's schema: API calls carry a valid body made from the route's
 * published schema, so an admitted caller's request reaches the handler; and a member of another
 * organisation → 404 on that organisation's records.
 * A new route is covered the moment it is registered; one without config.access cannot be registered.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { App } from './app.js';
import { describeEachDatabase } from './db/testing/test-database.js';
import { ROLE_REFUSED, type RouteAccess } from './modules/accounts/access.hooks.js';
import type { Role } from './modules/accounts/accounts.tables.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { organisations, services } from './modules/organisations/organisations.tables.js';
import { cookiesFrom } from './testing/forms.js';
import { requestBodySamples } from './testing/request-samples.js';
import { useTestApp } from './testing/test-app.js';
import { createTestUser, type TestUser } from './testing/test-users.js';

type Identity = 'anonymous' | Role | 'other_organisation_member';
const IDENTITIES: Identity[] = [
  'anonymous',
  'administrator',
  'inspector',
  'organisation_member',
  'viewer',
  'other_organisation_member',
];

/** Library routes (static assets, API documentation) are public and not ours to test here. */
const isLibrary = (url: string) => /^\/(assets|api\/docs)(\/|$)/.test(url);

describeEachDatabase('route access matrix', (driver) => {
  const t = useTestApp(driver);
  const people = new Map<Identity, TestUser>();
  const params: Record<string, string> = { ref: '4.1', token: 'not-a-real-setup-token-0000' };
  let orgA: string;
  let assessmentA: string;
  let samples: Map<string, unknown>;

  beforeAll(async () => {
    // What the published schemas cannot say: rules between fields, and the formats of fields that are trimmed
    // before they are checked (the document shows the text before trimming, not the date or address after).
    const dates = { plannedStart: '2027-01-11', plannedEnd: '2027-02-12' };
    samples = await requestBodySamples(t.app, {
      'POST /api/indicators': { polarity: 'target' },
      'POST /api/users': { email: 'matrix.new@example.org' },
      'POST /api/assessments': dates,
      'PATCH /api/assessments/:id': dates,
      'POST /api/assessments/:id/evidence': { evidenceDate: '2026-11-02' },
      'POST /api/assessments/import': { evidence: [] },
      'POST /api/organisations/:id/services/:serviceId/plan/import': { aims: [] },
    });
    const db = t.database.db;
    const [a] = await db
      .insert(organisations)
      .values({ code: 'MATRIX-A', name: 'Matrix A', type: 'council' })
      .returning();
    const [b] = await db
      .insert(organisations)
      .values({ code: 'MATRIX-B', name: 'Matrix B', type: 'council' })
      .returning();
    const [service] = await db.insert(services).values({ organisationId: a!.id, name: 'Repairs' }).returning();
    orgA = a!.id;
    for (const role of ['administrator', 'inspector', 'organisation_member', 'viewer'] as const) {
      people.set(
        role,
        await createTestUser(db, role, {
          organisationId: role === 'organisation_member' || role === 'viewer' ? a!.id : null,
        }),
      );
    }
    people.set('other_organisation_member', await createTestUser(db, 'organisation_member', { organisationId: b!.id }));
    Object.assign(params, { serviceId: service!.id });
    // A self-assessment of organisation A: its members see it, a member of B must get 404 on every route of it.
    const assessment = await createAssessmentsService({ db }).create(
      { kind: 'system', label: 'test' },
      {
        organisationId: a!.id,
        serviceId: service!.id,
        kind: 'self_assessment',
        title: 'Matrix self-assessment',
        frameworkId: 'audit-commission-j2',
        leadUserId: people.get('organisation_member')!.actor.userId,
      },
    );
    assessmentA = assessment.id;
  });

  function urlFor(route: RouteAccess): string {
    return route.url.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'id') {
        if (route.url.includes('/organisations/')) return orgA;
        if (route.url.includes('/assessments/')) return assessmentA;
        if (route.url.includes('/frameworks/')) return 'audit-commission-j2';
        if (route.url.includes('/users/')) return people.get('viewer')!.actor.userId;
        return randomUUID();
      }
      return params[name] ?? 'x';
    });
  }

  async function call(app: App, route: RouteAccess, who: Identity) {
    const headers: Record<string, string> = who === 'anonymous' ? {} : { ...people.get(who)!.headers };
    const url = urlFor(route);
    const isPage = !url.startsWith('/api/') && url !== '/health';
    if (route.method === 'GET' || route.method === 'HEAD') return app.inject({ method: route.method, url, headers });
    if (!isPage) {
      const payload = samples.get(key(route)) ?? {};
      return app.inject({ method: route.method as 'POST', url, headers, payload: payload as object });
    }
    // A form post as a browser makes it: with the CSRF token and cookie of a page it loaded.
    const page = await app.inject({ url: who === 'anonymous' ? '/sign-in' : '/account', headers });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return app.inject({
      method: route.method as 'POST',
      url,
      headers: {
        ...headers,
        cookie: cookiesFrom(page.headers['set-cookie']),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
  }

  const key = (route: RouteAccess) => `${route.method} ${route.url}`;

  function refusedByRole(res: { statusCode: number; body: string }): boolean {
    return res.statusCode === 403 && (!res.body.startsWith('{') || JSON.parse(res.body).detail === ROLE_REFUSED);
  }

  /** A 400 from the route's body schema: the handler never ran. */
  function stoppedBySchema(res: { statusCode: number; body: string }): boolean {
    if (res.statusCode !== 400 || !res.body.startsWith('{')) return false;
    const problem = JSON.parse(res.body) as { code?: string; errors?: { field: string }[] };
    return problem.code === 'invalid_request' && (problem.errors ?? []).some((e) => e.field.startsWith('body'));
  }

  it('has a valid body for every API route that takes JSON', () => {
    expect(samples.size).toBeGreaterThan(20);
  });

  it('covers every route of the app', () => {
    const ours = t.app.routeAccess.filter((r) => !isLibrary(r.url) && r.method !== 'HEAD');
    expect(ours.length).toBeGreaterThan(20);
  });

  it('answers every route as its access rule says, for every kind of person', async () => {
    const failures: string[] = [];
    for (const route of t.app.routeAccess.filter((r) => !isLibrary(r.url) && r.method !== 'HEAD')) {
      for (const who of IDENTITIES) {
        const res = await call(t.app, route, who);
        const role = who === 'other_organisation_member' ? 'organisation_member' : who;
        const isPageGet = route.method === 'GET' && !route.url.startsWith('/api/') && route.url !== '/health';
        const admitted =
          route.access === 'public' ||
          (who !== 'anonymous' && (route.access === 'signed-in' || route.access.roles.includes(role as Role)));
        let expected: string;
        let ok: boolean;
        if (admitted) {
          const otherOrganisation =
            who === 'other_organisation_member' && /\/(organisations|assessments)\/:id/.test(route.url);
          // A public route may still answer 401 for its own reason (sign-in with wrong credentials), and a handler
          // may refuse with 403 for its own (only a team member other than the lead may challenge a rating).
          const refused = refusedByRole(res) || (res.statusCode === 401 && route.access !== 'public');
          expected = otherOrganisation ? '404' : 'neither 401 nor 403';
          ok = otherOrganisation
            ? res.statusCode === 404
            : !refused && res.statusCode < 500 && !(samples.has(key(route)) && stoppedBySchema(res));
        } else if (who === 'anonymous') {
          expected = isPageGet ? 'redirect to /sign-in' : '401';
          ok = isPageGet
            ? res.statusCode === 302 && String(res.headers.location).startsWith('/sign-in')
            : res.statusCode === 401;
        } else {
          expected = '403';
          ok = refusedByRole(res);
        }
        if (!ok)
          failures.push(
            `${route.method} ${route.url} as ${who}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});
