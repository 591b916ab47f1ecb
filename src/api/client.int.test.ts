/**
 * The generated client (packages/client) drives the main job against a running kloe over HTTP, on both
 * databases: open an assessment, add evidence, judge, publish, download the report. Every answer is also
 * checked against the OpenAPI document's schema for its operation and status, so the test fails when the
 * document and the server disagree, not only when the client's types and the routes do.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKloeClient, type KloeClient } from '../../packages/client/src/index.js';
import { describeEachDatabase } from '../db/testing/test-database.js';
import { useTestApp } from '../testing/test-app.js';
import { createTestUser, type TestUser } from '../testing/test-users.js';

type Document = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The part of the document at a JSON pointer ("#/a/b~1c"). */
function resolve(document: unknown, at: string): unknown {
  return at
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, key) => (node as Record<string, unknown>)[key], document);
}

/** Checks each JSON answer against the document; collects what disagrees. */
function conformance(document: Document, disagreements: string[]): Middleware {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(document as object, 'openapi.json');
  return {
    async onResponse({ request, response, schemaPath }) {
      const method = request.method.toLowerCase();
      const operation = document.paths[schemaPath]?.[method];
      const where = `${request.method} ${schemaPath} ${response.status}`;
      if (!operation) return void disagreements.push(`${where}: no such operation in the document`);
      const status = String(response.status);
      if (!(status in operation.responses)) return void disagreements.push(`${where}: status not in the document`);
      const type = response.headers.get('content-type')?.split(';')[0] ?? '';
      if (!type.endsWith('json')) return;
      // The response, or the shared response it refers to (#/components/responses/…).
      let at = `#/${pointer('paths', schemaPath, method, 'responses', status)}`;
      let described = resolve(document, at) as { $ref?: string; content?: Record<string, unknown> };
      if (described.$ref) described = resolve(document, (at = described.$ref)) as typeof described;
      if (!(type in (described.content ?? {}))) return void disagreements.push(`${where}: ${type} is not described`);
      const validate = ajv.compile({ $ref: `openapi.json${at}/content/${pointer(type)}/schema` });
      if (!validate(await response.clone().json()))
        disagreements.push(`${where}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    },
  };
}

describeEachDatabase('the generated client against a running kloe', (driver) => {
  const t = useTestApp(driver);
  const disagreements: string[] = [];
  let baseUrl: string;
  let admin: TestUser;
  let lead: TestUser;
  let asAdmin: KloeClient;
  let asLead: KloeClient;

  beforeAll(async () => {
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const document = (await fetch(`${baseUrl}/api/openapi.json`).then((r) => r.json())) as Document;
    admin = await createTestUser(t.database.db, 'administrator');
    lead = await createTestUser(t.database.db, 'inspector', { name: 'Lena Lead' });
    asAdmin = createKloeClient({ baseUrl, token: admin.token });
    asLead = createKloeClient({ baseUrl, token: lead.token });
    for (const client of [asAdmin, asLead]) client.use(conformance(document, disagreements));
  });
  afterAll(() => expect(disagreements).toEqual([]));

  it('opens an assessment, adds evidence, judges, publishes and downloads the report', async () => {
    const organisation = await asAdmin.POST('/api/organisations', {
      body: { code: 'CLIENT1', name: 'Client Borough Council', type: 'council' },
      headers: { 'idempotency-key': 'client-organisation' },
    });
    expect(organisation.response.status, JSON.stringify(organisation.error)).toBe(201);
    const organisationId = organisation.data!.id;
    const service = await asAdmin.POST('/api/organisations/{id}/services', {
      params: { path: { id: organisationId } },
      body: { name: 'Housing repairs' },
    });
    const serviceId = service.data!.id;

    const opened = await asLead.POST('/api/assessments', {
      body: { organisationId, serviceId, kind: 'inspection', title: 'Repairs inspection', scope: ['6.3'] },
    });
    expect(opened.response.status, JSON.stringify(opened.error)).toBe(201);
    const id = opened.data!.id;
    const path = { id };
    const moved = await asLead.POST('/api/assessments/{id}/status', {
      params: { path },
      body: { version: opened.data!.version, status: 'fieldwork' },
    });
    expect(moved.data?.status).toBe('fieldwork');

    const item = await asLead.POST('/api/assessments/{id}/evidence', {
      params: { path },
      body: { title: 'Capital programme 2026–29', kind: 'document', source: 'Finance team' },
    });
    expect(item.response.status, JSON.stringify(item.error)).toBe(201);
    const link = await asLead.POST('/api/assessments/{id}/evidence/{itemId}/links', {
      params: { path: { id, itemId: item.data!.id } },
      body: { target: '6.3-P1', stance: 'supports', quote: 'Funded for three years' },
    });
    expect(link.response.status, JSON.stringify(link.error)).toBe(201);

    // Judge: every statement of 6.3, then the final ratings of the KLOE, key question 6 and overall.
    const kloe = await asLead.GET('/api/assessments/{id}/kloes/{ref}', { params: { path: { id, ref: '6.3' } } });
    const statements = ['6.3-P1', '6.3-P2', '6.3-U1', '6.3-U2'];
    expect(kloe.data!.statements).toEqual({ judged: 0, total: statements.length });
    const judged = await asLead.PUT('/api/assessments/{id}/kloes/{ref}', {
      params: { path: { id, ref: '6.3' } },
      body: {
        version: kloe.data!.version,
        findings: statements.map((statementRef) => ({ statementRef, outcome: 'met' as const })),
      },
    });
    expect(judged.response.status, JSON.stringify(judged.error)).toBe(200);
    const suggested = judged.data!.suggestedRating.rating!;
    const rated = await asLead.PUT('/api/assessments/{id}/kloes/{ref}', {
      params: { path: { id, ref: '6.3' } },
      body: { version: judged.data!.version, finalRating: suggested },
    });
    expect(rated.data?.finalRating).toBe(suggested);
    for (const node of ['6', 'overall']) {
      const card = await asLead.GET('/api/assessments/{id}/scorecard', { params: { path } });
      const entry = node === 'overall' ? card.data!.overall : card.data!.keyQuestions[0]!;
      const set = await asLead.PUT('/api/assessments/{id}/ratings/{node}', {
        params: { path: { id, node } },
        body: { version: entry.version, finalRating: suggested },
      });
      expect(set.response.status, JSON.stringify(set.error)).toBe(200);
    }

    for (const status of ['moderation', 'published'] as const) {
      const current = await asLead.GET('/api/assessments/{id}', { params: { path } });
      const next = await asLead.POST('/api/assessments/{id}/status', {
        params: { path },
        body: { version: current.data!.version, status },
      });
      expect(next.response.status, JSON.stringify(next.error)).toBe(200);
    }

    const report = await asLead.GET('/api/assessments/{id}/report', {
      params: { path, query: { format: 'json' } },
      parseAs: 'json',
    });
    expect(report.response.status).toBe(200);
    expect(JSON.stringify(report.data)).toContain('Capital programme 2026–29');
    const html = await asLead.GET('/api/assessments/{id}/report', {
      params: { path, query: { format: 'html' } },
      parseAs: 'text',
    });
    expect(html.data).toContain('Repairs inspection');
  });

  it('gives errors as problem documents the client can read', async () => {
    const refused = await asLead.POST('/api/organisations', {
      body: { code: 'NOPE', name: 'Not allowed', type: 'council' },
    });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ code: 'forbidden' });
  });
});
