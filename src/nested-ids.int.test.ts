/**
 * Every registered route that takes two or more ids keeps each record to its parents: with the parent
 * (an assessment, an organisation) one the caller may work on, and a child id (evidence item, file, link,
 * request, challenge, recommendation, service; a person's single sign-on identity) taken from another
 * organisation's published assessment or person,
 * the route answers 404 and no record changes. The routes come from the app itself, so a new route is
 * walked the moment it is registered; one with an id this test does not know fails it until it is added.
 */
import { count, inArray, or } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { RouteAccess } from './modules/accounts/access.hooks.js';
import { accounts } from './modules/accounts/accounts.tables.js';
import { assessments, assessmentTeam, challenges } from './modules/assessments/assessments.tables.js';
import { recommendations } from './modules/assessments/recommendations.tables.js';
import { auditLog } from './modules/audit/audit.tables.js';
import { multipartBody } from './files/multipart-body.js';
import {
  evidenceItemFiles,
  evidenceItems,
  evidenceLinks,
  evidenceRequests,
  evidenceSuggestions,
} from './modules/evidence/evidence.tables.js';
import { improvementActions, improvementAims } from './modules/improvement/improvement.tables.js';
import { services } from './modules/organisations/organisations.tables.js';
import { webhookDeliveries } from './modules/webhooks/webhooks.tables.js';
import { describeEachDatabase } from './db/testing/test-database.js';
import { cookiesFrom } from './testing/forms.js';
import { comments, commentThreads } from './modules/comments/index.js';
import { createNestedRecords, NESTED_STATEMENT, type NestedRecords } from './testing/nested-records.js';
import { useTestApp } from './testing/test-app.js';
import { createTestUser, type TestUser } from './testing/test-users.js';

/** Route parameters that name a record, and where the record is found in a set of nested records. */
const RECORD_PARAMS: Record<string, (r: NestedRecords, url: string) => string> = {
  id: (r, url) =>
    url.includes('/admin/users/')
      ? r.personId
      : url.includes('/webhooks/')
        ? r.webhookId
        : url.includes('/organisations/')
          ? r.organisationId
          : r.assessmentId,
  serviceId: (r) => r.serviceId,
  itemId: (r) => r.itemId,
  fileId: (r) => r.fileId,
  linkId: (r, url) => (url.includes('/sso-links/') ? r.ssoLinkId : r.linkId),
  requestId: (r) => r.requestId,
  challengeId: (r) => r.challengeId,
  recommendationId: (r) => r.recommendationId,
  aimId: (r) => r.aimId,
  actionId: (r) => r.actionId,
  deliveryId: (r) => r.deliveryId,
  threadId: (r) => r.threadId,
  commentId: (r) => r.accuracyCommentId,
};

/** Parameters that name no record of an assessment, and the value every call gives them. */
const VALUE_PARAMS: Record<string, string> = { ref: NESTED_STATEMENT };

/** Routes with two parameters of which only one is a record: nothing to swap. */
const EXEMPT: Record<string, string> = {
  '/api/assessments/:id/kloes/:ref': 'ref names a KLOE of the assessment’s own pinned framework, not a record',
  '/assessments/:id/kloes/:ref': 'ref names a KLOE of the assessment’s own pinned framework, not a record',
  '/api/assessments/:id/kloes/:ref/photos': 'ref names a KLOE of the assessment’s own pinned framework, not a record',
  '/assessments/:id/kloes/:ref/photos': 'ref names a KLOE of the assessment’s own pinned framework, not a record',
  '/assessments/:id/kloes/:ref/photos/new': 'ref names a KLOE of the assessment’s own pinned framework, not a record',
  '/api/assessments/:id/ratings/:node': 'node names a KLOE, key question or "overall" of the framework',
  '/assessments/:id/ratings/:node': 'node names a KLOE, key question or "overall" of the framework',
  '/assessments/:id/report.:format': 'format is a file type (html, docx, pdf …)',
  '/assessments/:id/evidence/:itemId/files/:fileId/inline':
    'serves PDFs and images only (the records’ file is text); its ids are checked by the same openFile as …/files/:fileId, walked here',
  '/public/reports/:id/report.:format': 'format is a file type (html or pdf) of a public report',
  '/frameworks/:id/kloes/:ref': 'ref names a KLOE of that framework version; frameworks are shared by everyone',
  '/indicators/organisations/:id/indicators/:code': 'code names an indicator definition, shared by every organisation',
  '/api/assessments/:id/kloes/:ref/assignment': 'ref names a KLOE of the assessment’s own pinned framework',
  '/assessments/:id/kloes/:ref/assignment': 'ref names a KLOE of the assessment’s own pinned framework',
  '/api/assessments/:id/kloes/:ref/review': 'ref names a KLOE of the assessment’s own pinned framework',
  '/assessments/:id/kloes/:ref/review': 'ref names a KLOE of the assessment’s own pinned framework',
  '/api/assessments/:id/kloes/:ref/comments': 'ref names a KLOE of the assessment’s own pinned framework',
  '/assessments/:id/kloes/:ref/comments': 'ref names a KLOE of the assessment’s own pinned framework',
  // The records' plan has aims, so an import is refused before the ids matter; the service is found under its
  // organisation as on every other plan route, which are walked here.
  '/api/organisations/:id/services/:serviceId/plan/import': 'imports only into an empty plan',
  '/organisations/:id/services/:serviceId/plan/import': 'imports only into an empty plan',
};

type Body = { fields: Record<string, string> } | { files: Record<string, string> };
const itemFields = { fields: { title: 'Taken over', kind: 'document' } };
const linkFields = { fields: { target: '4.1', stance: 'contradicts' } };
const upload = { files: { notes: 'Taken over' } };
const resolveFields = { fields: { outcome: 'accepted', reason: 'Taken over' } };
const recommendationFields = { fields: { text: 'Taken over', priority: 'low', outcome: 'None', version: '1' } };
const decision = { fields: { decision: 'accepted' } };
const severalDecided = { fields: { decision: 'accepted', statementRefs: NESTED_STATEMENT } };
const aimFields = { fields: { title: 'Taken over', version: '1' } };
const actionFields = { fields: { title: 'Taken over', version: '1' } };
const progressFields = { fields: { recordedOn: '2025-01-01', note: 'Taken over' } };
const statusFields = { fields: { status: 'at_risk', reason: 'Taken over', version: '1' } };
const commentFields = { fields: { body: 'Taken over' } };
const answerFields = { fields: { response: 'accepted' } };

/** What each state-changing route is sent: a body it would accept, so that only the ids can make it refuse. */
const BODIES: Record<string, Body> = {
  'PATCH /api/organisations/:id/services/:serviceId': { fields: { name: 'Taken over' } },
  'POST /organisations/:id/services/:serviceId/edit': { fields: { name: 'Taken over' } },
  'PUT /api/assessments/:id/evidence/:itemId': itemFields,
  'POST /assessments/:id/evidence/:itemId/edit': itemFields,
  'POST /assessments/:id/evidence/:itemId/delete': { fields: {} },
  'POST /api/assessments/:id/evidence/:itemId/links': linkFields,
  'POST /assessments/:id/evidence/:itemId/links': linkFields,
  'POST /assessments/:id/evidence/:itemId/links/:linkId/remove': { fields: {} },
  'POST /api/assessments/:id/evidence/:itemId/suggestions/:ref': decision,
  'POST /assessments/:id/evidence/:itemId/suggestions/:ref': decision,
  'POST /api/assessments/:id/evidence/:itemId/suggestions': severalDecided,
  'POST /assessments/:id/evidence/:itemId/suggestions': severalDecided,
  'POST /api/assessments/:id/evidence/:itemId/files': upload,
  'POST /assessments/:id/evidence/:itemId/files': upload,
  'POST /api/assessments/:id/evidence-requests/:requestId/answer': upload,
  'POST /assessments/:id/evidence/requests/:requestId/answer': upload,
  'POST /api/assessments/:id/challenges/:challengeId/resolve': resolveFields,
  'POST /assessments/:id/challenges/:challengeId/resolve': resolveFields,
  'PUT /api/assessments/:id/recommendations/:recommendationId': recommendationFields,
  'POST /assessments/:id/recommendations/:recommendationId': recommendationFields,
  'POST /assessments/:id/recommendations/:recommendationId/remove': { fields: {} },
  'POST /admin/users/:id/sso-links/:linkId/unlink': { fields: {} },
  'POST /api/organisations/:id/services/:serviceId/plan/aims': aimFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/new': aimFields,
  'PUT /api/organisations/:id/services/:serviceId/plan/aims/:aimId': aimFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/edit': aimFields,
  'POST /api/organisations/:id/services/:serviceId/plan/aims/:aimId/actions': actionFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/actions/new': actionFields,
  'PUT /api/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId': actionFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/edit': actionFields,
  'POST /api/webhooks/:id/deliveries/:deliveryId/redeliver': { fields: {} },
  'POST /admin/webhooks/:id/deliveries/:deliveryId/redeliver': { fields: {} },
  'POST /api/assessments/:id/comment-threads/:threadId/comments': { fields: { body: 'Taken over' } },
  'POST /assessments/:id/comment-threads/:threadId/comments': { fields: { body: 'Taken over' } },
  'POST /api/assessments/:id/comment-threads/:threadId/resolve': { fields: {} },
  'POST /api/assessments/:id/comment-threads/:threadId/reopen': { fields: {} },
  'POST /assessments/:id/comment-threads/:threadId/resolve': { fields: { resolved: 'true' } },
  'POST /api/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/progress': progressFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/progress/new': progressFields,
  'PUT /api/organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/status': statusFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/status': statusFields,
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/delete': { fields: { version: '1' } },
  'POST /organisations/:id/services/:serviceId/plan/aims/:aimId/actions/:actionId/delete': { fields: { version: '1' } },
  'POST /api/organisations/:id/services/:serviceId/plan/comments': commentFields,
  'POST /organisations/:id/services/:serviceId/plan/comments/new': commentFields,
  'POST /api/assessments/:id/factual-accuracy/comments/:commentId/answer': answerFields,
  'POST /assessments/:id/factual-accuracy/comments/:commentId/answer': answerFields,
};

const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const isPage = (url: string) => !url.startsWith('/api/');

describeEachDatabase('nested records belong to their parents, on every route', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let admin: TestUser;
  let mine: NestedRecords;
  let theirs: NestedRecords;

  beforeAll(async () => {
    const db = t.database.db;
    lead = await createTestUser(db, 'inspector');
    admin = await createTestUser(db, 'administrator');
    const otherLead = await createTestUser(db, 'inspector');
    // The caller leads an inspection in moderation (so that every action is open to them); the other is
    // another organisation's, published, and not theirs.
    mine = await createNestedRecords(db, { leadUserId: lead.actor.userId, status: 'moderation' });
    theirs = await createNestedRecords(db, { leadUserId: otherLead.actor.userId, status: 'published' });
  });

  /**
   * Every row of the two assessments and organisations a misrouted change could touch, and how many audit
   * entries there are. Only theirs: the uploads of the check above are still being read in the background.
   */
  async function snapshot() {
    const db = t.database.db;
    const both = [mine.assessmentId, theirs.assessmentId];
    const items = [mine.itemId, theirs.itemId];
    const rows = await Promise.all([
      db
        .select()
        .from(services)
        .where(inArray(services.organisationId, [mine.organisationId, theirs.organisationId])),
      db.select().from(assessments).where(inArray(assessments.id, both)),
      db.select().from(assessmentTeam).where(inArray(assessmentTeam.assessmentId, both)),
      db
        .select({ id: evidenceItems.id, title: evidenceItems.title, kind: evidenceItems.kind })
        .from(evidenceItems)
        .where(inArray(evidenceItems.assessmentId, both)),
      db.select().from(evidenceItemFiles).where(inArray(evidenceItemFiles.itemId, items)),
      db
        .select()
        .from(evidenceLinks)
        .where(or(inArray(evidenceLinks.assessmentId, both), inArray(evidenceLinks.itemId, items))),
      db.select().from(evidenceSuggestions).where(inArray(evidenceSuggestions.itemId, items)),
      db.select().from(evidenceRequests).where(inArray(evidenceRequests.assessmentId, both)),
      db.select().from(challenges).where(inArray(challenges.assessmentId, both)),
      db.select().from(recommendations).where(inArray(recommendations.assessmentId, both)),
      db.select().from(commentThreads).where(inArray(commentThreads.assessmentId, both)),
      db
        .select()
        .from(comments)
        .where(inArray(comments.threadId, [mine.threadId, theirs.threadId])),
      db
        .select()
        .from(accounts)
        .where(inArray(accounts.userId, [mine.personId, theirs.personId])),
      db
        .select()
        .from(improvementAims)
        .where(inArray(improvementAims.id, [mine.aimId, theirs.aimId])),
      db
        .select()
        .from(improvementActions)
        .where(inArray(improvementActions.aimId, [mine.aimId, theirs.aimId])),
      db
        .select()
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.endpointId, [mine.webhookId, theirs.webhookId])),
      db.select({ n: count() }).from(auditLog),
    ]);
    return rows.map((table) => (table as unknown[]).map((row) => JSON.stringify(row)).sort());
  }

  /** A route's URL with each record parameter's id taken from the records `ownerOf` names for it. */
  const urlOf = (route: RouteAccess, ownerOf: (param: string) => NestedRecords) =>
    route.url.replace(
      /:(\w+)/g,
      (_m, name: string) => VALUE_PARAMS[name] ?? RECORD_PARAMS[name]!(ownerOf(name), route.url),
    );

  /** The variants to call of a route: a child id, and every id after it, from `theirs`. */
  function variants(route: RouteAccess): { url: string; swapped: string }[] {
    const recordParams = paramsOf(route.url).filter((name) => name in RECORD_PARAMS);
    return recordParams.slice(1).map((swapped, i) => ({
      url: urlOf(route, (name) => (recordParams.indexOf(name) > i ? theirs : mine)),
      swapped,
    }));
  }

  /** Improvement plans are changed only by members of their organisation: one per organisation, made once. */
  const members = new Map<string, Promise<TestUser>>();
  function caller(route: RouteAccess, url: string): TestUser | Promise<TestUser> {
    if (route.url.startsWith('/admin/') || route.url.startsWith('/api/webhooks/')) return admin;
    if (!route.url.includes('/organisations/')) return lead;
    const organisationId = /\/organisations\/([^/]+)/.exec(url)![1]!;
    if (!route.url.includes('/plan')) return admin;
    if (!members.has(organisationId))
      members.set(organisationId, createTestUser(t.database.db, 'organisation_member', { organisationId }));
    return members.get(organisationId)!;
  }

  async function call(route: RouteAccess, url: string) {
    const who = await caller(route, url);
    const method = route.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    if (method === 'GET' || method === 'DELETE') return t.app.inject({ method, url, headers: who.headers });
    const body = BODIES[`${route.method} ${route.url}`]!;
    const headers: Record<string, string> = { ...who.headers };
    const values: Record<string, string> = 'fields' in body ? { ...body.fields } : { ...body.files };
    if (isPage(route.url)) {
      // A form post as a browser makes it, with the token and cookie of a page it loaded.
      const page = await t.app.inject({ url: '/frameworks', headers: who.headers });
      values._csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)![1]!;
      headers.cookie = cookiesFrom(page.headers['set-cookie']);
    }
    if ('files' in body) {
      const file = { name: 'taken-over.txt', bytes: Buffer.from('Taken over'), type: 'text/plain' };
      const multipart = multipartBody(values, [file]);
      return t.app.inject({ method, url, headers: { ...headers, ...multipart.headers }, payload: multipart.payload });
    }
    if (isPage(route.url)) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return t.app.inject({ method, url, headers, payload: new URLSearchParams(values).toString() });
    }
    const json = { ...values, ...('version' in values ? { version: Number(values.version) } : {}) };
    return t.app.inject({ method, url, headers, payload: json });
  }

  const multiId = () =>
    t.app.routeAccess.filter((r) => r.method !== 'HEAD' && paramsOf(r.url).length >= 2 && !(r.url in EXEMPT));

  it('knows every multi-id route: each parameter, and a body for each change', () => {
    const unknown = multiId().flatMap((route) => {
      const problems = paramsOf(route.url)
        .filter((name) => !(name in RECORD_PARAMS) && !(name in VALUE_PARAMS))
        .map((name) => `${route.method} ${route.url}: unknown parameter :${name} (add it here, or exempt the route)`);
      const needsBody = route.method !== 'GET' && route.method !== 'DELETE';
      if (needsBody && !BODIES[`${route.method} ${route.url}`])
        problems.push(`${route.method} ${route.url}: no body to send (add one to BODIES)`);
      return problems;
    });
    expect(unknown).toEqual([]);
    expect(multiId().length).toBeGreaterThanOrEqual(30);
  });

  it('does what each route does with the caller’s own ids (so that the 404s below are the ids’ doing)', async () => {
    const failures: string[] = [];
    for (const route of multiId()) {
      // Fresh records for each route: the one before may have deleted or answered its own.
      const own = await createNestedRecords(t.database.db, { leadUserId: lead.actor.userId, status: 'moderation' });
      const res = await call(
        route,
        urlOf(route, () => own),
      );
      if (res.statusCode >= 400) failures.push(`${route.method} ${route.url}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 404 and changes nothing when a child id belongs to another assessment or organisation', async () => {
    let before = await snapshot();
    const failures: string[] = [];
    for (const route of multiId()) {
      for (const { url, swapped } of variants(route)) {
        const res = await call(route, url);
        const code = String(res.headers['content-type']).includes('json')
          ? (res.json() as { code?: string }).code
          : undefined;
        // The parent is the caller's: a 404 must be about the child, not the parent or the route.
        const aboutParent = /^(route|assessment|organisation)_not_found$/.test(code ?? '');
        if (res.statusCode !== 404 || aboutParent)
          failures.push(`${route.method} ${url} (:${swapped} of another): ${res.statusCode} ${code ?? ''}`);
        const after = await snapshot();
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(`${route.method} ${url} (:${swapped} of another): changed a record`);
          before = after; // so that the next route is judged on its own
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
