/**
 * Two kloe servers (real processes, `npm run build` first) behind an imaginary load balancer: one
 * PostgreSQL database, one S3-compatible object store (s3rver). What one node stores the other serves,
 * background extraction runs once whichever node takes it, and a rate limit counts both nodes' requests.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchServer, type RunningServer } from '../e2e/support/kloe-process.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './db/testing/test-database.js';
import { multipartBody } from './files/multipart-body.js';
import { createOrganisationsService } from './modules/organisations/organisations.service.js';
import { createTestOrganisation } from './modules/organisations/testing/test-organisations.js';
import { startS3Server, type TestS3Server } from './testing/s3-server.js';
import { createTestUser, type TestUser } from './testing/test-users.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

/** A text file past the size extracted inside the upload, so its text comes from a background job. */
const LARGE_TEXT = `Zanzibarine backlog.\n${'Quarterly repairs figures reported to the housing board. '.repeat(12_000)}\n`;

describe.skipIf(!postgresAvailable)('two kloe nodes on one PostgreSQL and one object store', () => {
  let s3: TestS3Server;
  let database: TestDatabase;
  let nodes: RunningServer[] = [];
  let member: TestUser;
  let assessmentId: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    database = await createTestDatabase('postgres');
    const { db } = database;
    const organisation = await createTestOrganisation(db, { name: 'Two Node Borough Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, organisation.id, {
      name: 'Housing repairs',
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
    const env = {
      DATABASE_URL: database.url!,
      KLOE_DEMO: 'off',
      KLOE_SIGN_IN_ATTEMPTS_PER_MINUTE: '3',
      ...s3.env,
    };
    nodes = await Promise.all([launchServer(env), launchServer(env)]);
    const res = await call(nodes[0]!, '/api/assessments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisationId: organisation.id,
        serviceId: service.id,
        kind: 'self_assessment',
        title: 'Repairs self-assessment',
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    assessmentId = ((await res.json()) as { id: string }).id;
  }, 300_000);

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.close();
    await s3?.close();
  });

  const call = (node: RunningServer, path: string, init: RequestInit = {}) =>
    fetch(`${node.url}${path}`, { ...init, headers: { ...member.headers, ...init.headers } });

  it('serves on node B a file uploaded on node A, and extracts its text once, by a job', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const { payload, headers } = multipartBody({ title: 'Repairs figures', kind: 'document' }, [
      { name: 'figures.txt', bytes: Buffer.from(LARGE_TEXT), type: 'text/plain' },
    ]);
    const uploaded = await call(a, `/api/assessments/${assessmentId}/evidence`, {
      method: 'POST',
      headers,
      body: payload,
    });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const item = (await uploaded.json()) as { id: string; files: { download: string; extraction: string }[] };
    expect(item.files[0]!.extraction).toBe('pending');

    const listed = (await (await call(b, `/api/assessments/${assessmentId}/evidence`)).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((i) => i.id)).toContain(item.id);
    const download = await call(b, item.files[0]!.download);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(LARGE_TEXT);

    // Searchable on either node once a job has extracted the text.
    const deadline = Date.now() + 60_000;
    let extraction = 'pending';
    while (extraction === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const detail = (await (await call(b, `/api/assessments/${assessmentId}/evidence/${item.id}`)).json()) as {
        files: { extraction: string }[];
      };
      extraction = detail.files[0]!.extraction;
    }
    expect(extraction).toBe('done');
    const found = (await (await call(b, `/api/assessments/${assessmentId}/evidence/search?q=zanzibarine`)).json()) as {
      results: unknown[];
    };
    expect(found.results).toHaveLength(1);
    const { rows } = (await database.db.execute(
      sql`select state, retry_count from pgboss.job where name = 'evidence.extract'`,
    )) as unknown as { rows: { state: string; retry_count: number }[] };
    expect(rows).toEqual([{ state: 'completed', retry_count: 0 }]);
  }, 120_000);

  it('counts sign-in attempts on both nodes against one limit', async () => {
    const statuses: number[] = [];
    for (const node of [nodes[0]!, nodes[1]!, nodes[0]!, nodes[1]!]) {
      const res = await fetch(`${node.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=x%40example.test&password=nope',
        redirect: 'manual',
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  });
});
