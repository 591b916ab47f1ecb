/**
 * Two kloe servers (real processes, `npm run build` first) behind an imaginary load balancer: one
 * PostgreSQL database, one S3-compatible object store (s3rver). What one node stores the other serves,
 * background extraction runs once whichever node takes it, a rate limit counts both nodes' requests, and
 * a node killed while it extracts a file leaves the job to the other.
 *
 * The nodes run with NODE_ENV=test so that KLOE_TEST_EXTRACTION_GATE holds an extraction job until the
 * test opens the gate (extraction-gate.ts), and with the shortest job heartbeat (KLOE_JOB_HEARTBEAT_SECONDS=10),
 * so the dead node's job is given to the other within seconds rather than half a minute.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchServer, type LaunchedServer, type RunningServer } from '../e2e/support/kloe-process.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './db/testing/test-database.js';
import { multipartBody } from './files/multipart-body.js';
import { createJobQueue } from './modules/jobs/index.js';
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
  let nodes: LaunchedServer[] = [];
  // Open (the file exists) until the last test closes it.
  const gateFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-extraction-gate-'));
  const gate = path.join(gateFolder, 'open');
  fs.writeFileSync(gate, '');
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
      NODE_ENV: 'test',
      KLOE_TEST_EXTRACTION_GATE: gate,
      KLOE_JOB_HEARTBEAT_SECONDS: '10',
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
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.close();
    await s3?.close();
    fs.rmSync(gateFolder, { recursive: true, force: true });
  });

  /**
   * Waits until no text extraction job is waiting or running, asking the queue as a node that runs no jobs: a
   * handler marks the file's text extracted before it returns, and pg-boss marks its job completed after that.
   */
  async function extractionJobsSettled() {
    const watcher = createJobQueue({ database, work: false });
    try {
      await watcher.settled(['evidence.extract'], 60_000);
    } finally {
      await watcher.stop();
    }
  }

  const call = (node: RunningServer, path: string, init: RequestInit = {}) =>
    fetch(`${node.url}${path}`, { ...init, headers: { ...member.headers, ...init.headers } });

  it('serves on node B a file uploaded on node A, and extracts its text once, by a job', async () => {
    const [a, b] = nodes as [LaunchedServer, LaunchedServer];
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
    await extractionJobsSettled();
    const { rows } = (await database.db.execute(
      sql`select state, retry_count from pgboss.job where name = 'evidence.extract'`,
    )) as unknown as { rows: { state: string; retry_count: number }[] };
    expect(rows).toEqual([{ state: 'completed', retry_count: 0 }]);
  });

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

  it('gives the extraction of a node killed while it extracts to the other node, which extracts it once', async () => {
    // Closed; the earlier upload's job passed it too, and said so.
    fs.rmSync(gate);
    for (const name of fs.readdirSync(gateFolder)) fs.rmSync(path.join(gateFolder, name));
    const text = `Quokkaridge arrears.\n${'Rent arrears recovered by the income team each quarter. '.repeat(12_000)}\n`;
    const sha256 = createHash('sha256').update(text).digest('hex');
    const { payload, headers } = multipartBody({ title: 'Arrears figures', kind: 'document' }, [
      { name: 'arrears.txt', bytes: Buffer.from(text), type: 'text/plain' },
    ]);
    const uploaded = await call(nodes[0]!, `/api/assessments/${assessmentId}/evidence`, {
      method: 'POST',
      headers,
      body: payload,
    });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const item = (await uploaded.json()) as { id: string };

    // Whichever node took the job says so at the gate, and waits there.
    const taken = () => fs.readdirSync(gateFolder).filter((name) => name.startsWith('open.taken.'));
    const deadline = Date.now() + 30_000;
    while (taken().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(taken()).toHaveLength(1);
    const victimPid = Number(taken()[0]!.split('.').pop());
    const victim = nodes.find((node) => node.pid === victimPid)!;
    const survivor = nodes.find((node) => node !== victim)!;
    expect(victim).toBeDefined();
    const [job] = (
      (await database.db.execute(sql`
        select j.state from pgboss.job j join evidence_files f on f.id::text = j.data->>'fileId'
        where j.name = 'evidence.extract' and f.sha256 = ${sha256}`)) as unknown as { rows: { state: string }[] }
    ).rows;
    expect(job).toEqual({ state: 'active' });

    await victim.kill('SIGKILL');
    fs.writeFileSync(gate, '');

    // The heartbeat stops; once it is 10 s late (and the queue's monitor has looked, every 10 s with this
    // heartbeat) the job is retried, and the survivor takes it.
    const until = Date.now() + 90_000;
    let extraction = 'pending';
    while (extraction === 'pending' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const detail = (await (await call(survivor, `/api/assessments/${assessmentId}/evidence/${item.id}`)).json()) as {
        files: { extraction: string }[];
      };
      extraction = detail.files[0]!.extraction;
    }
    expect(extraction).toBe('done');
    expect(taken().sort()).toEqual([`open.taken.${victimPid}`, `open.taken.${survivor.pid}`].sort());
    const found = (await (
      await call(survivor, `/api/assessments/${assessmentId}/evidence/search?q=quokkaridge`)
    ).json()) as { results: { itemId: string }[] };
    expect(found.results.map((r) => r.itemId)).toEqual([item.id]);
    // One job, completed on its second attempt; one file, with its text.
    await extractionJobsSettled();
    const { rows } = (await database.db.execute(sql`
      select j.state, j.retry_count, f.extraction_status, f.extracted_text like 'Quokkaridge arrears.%' as "hasText"
      from pgboss.job j join evidence_files f on f.id::text = j.data->>'fileId'
      where j.name = 'evidence.extract' and f.sha256 = ${sha256}`)) as unknown as {
      rows: { state: string; retry_count: number; extraction_status: string; hasText: boolean }[];
    };
    expect(rows).toEqual([{ state: 'completed', retry_count: 1, extraction_status: 'done', hasText: true }]);
  });
});
