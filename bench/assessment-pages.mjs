#!/usr/bin/env node
/**
 * Benchmark: the KLOE workspace page and the scorecard with 1,000 assessments (and their findings) in a
 * PostgreSQL database, at 20 concurrent clients, measured with wrk on loopback — against the limit of
 * the same server sending the same HTML as a static file.
 *
 *   npm run build && node bench/assessment-pages.mjs          (needs wrk: apt-get install wrk)
 *
 * Env: BENCH_DATABASE_URL (an admin connection; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 20), BENCH_ASSESSMENTS (default 1000),
 * BENCH_PAGE ("kloes" or "scorecard": that page only), BENCH_WORKERS (default 1: the server in this process;
 * above 1: `kloe serve` with KLOE_WORKERS set, in processes of its own), BENCH_DB (a database name: kept after
 * the run and reused by the next one, which then skips making the data).
 * Prints figures; asserts nothing. The server, PostgreSQL and wrk share this machine's cores.
 * With `node --import ./bench/probe.mjs …` it also prints rendering time and queries per request (and with
 * PROBE_SQL=1 the text of each query).
 */
import { KLOE_NODE_FLAGS } from './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuMsOf, postgresCpuMs as postgresCpuMsOf, postgresCpuSince, processCpuMs, sum } from './cpu.mjs';
import { wrk } from './wrk.mjs';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('db/client.js');
const { prepareDatabase } = await load('startup.js');
const { buildApp } = await load('app.js');
const accountsRepo = await load('modules/accounts/accounts.repository.js');
const { generateApiToken } = await load('modules/accounts/api-tokens.js');
const { publicFolder } = await load('paths.js');
const { FILE_TYPES } = await load('files/file-types.js');

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const count = Number(process.env.BENCH_ASSESSMENTS ?? 1000);
const workers = Number(process.env.BENCH_WORKERS ?? 1);

const keep = process.env.BENCH_DB;
if (keep && !/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error('BENCH_DB must be a plain lower-case name');
const name = keep ?? `kloe_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const reuse = keep && (await admin.query('select 1 from pg_database where datname = $1', [keep])).rowCount === 1;
if (!reuse) await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

const staticFile = path.join(publicFolder, `bench-${name}.html`);
const database = await openDatabase({ databaseUrl: url.toString() });
let app;
let server;
try {
  const config = {
    env: 'test', // templates compiled once, as in production (development recompiles them on every request)
    logLevel: 'silent',
    baseUrl: 'http://localhost:3000',
    secret: randomBytes(32).toString('hex'),
    session: { idleMinutes: 120, maxHours: 12 },
    admin: undefined,
    signInAttemptsPerMinute: 10,
    oidc: undefined,
    evidence: {
      dir: path.join(os.tmpdir(), `${name}-evidence`),
      maxBytes: 50 * 1024 * 1024,
      types: [...FILE_TYPES],
      uploadsAtOnce: 8,
    },
    reports: { pdfQueueSize: 4 },
  };
  await prepareDatabase(database, config); // built-in framework and the demo, with its judged inspection
  const inspector = await benchInspector(database.db);
  if (!reuse) await makeAssessments(url.toString(), inspector);
  else console.log(`data: reused database ${name}`);

  let address;
  if (workers > 1) {
    server = await startServer(url.toString(), config.secret);
    address = server.address;
  } else {
    app = await buildApp({ config, database, logger: false });
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  }
  const auth = `Authorization: Bearer ${inspector.token}`;
  const headers = { authorization: `Bearer ${inspector.token}` };
  const target = (
    await (
      await fetch(`${address}/api/assessments?limit=1&offset=${Math.floor(count / 2)}`, {
        headers: { authorization: `Bearer ${inspector.token}` },
      })
    ).json()
  ).assessments[0].id;

  const pages = [
    ['KLOE workspace 5.2.2 (22 statements)', `/assessments/${target}/kloes/5.2.2`],
    ['scorecard', `/assessments/${target}/scorecard`],
  ];
  console.log(
    `wrk: ${connections} connections, ${seconds} s each, 2 threads, loopback; server in ${workers > 1 ? `${workers} worker processes (KLOE_WORKERS)` : 'one Node.js process'}`,
  );
  console.log('page                                   | req/s  | p50 ms | p95 ms | p99 ms | static p95 ms | p95 ratio');
  const only = process.env.BENCH_PAGE; // e.g. "scorecard": one page only, for profiling
  for (const [label, route] of pages.filter(([, route]) => !only || route.includes(only))) {
    let html = '';
    const single = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const page = await fetch(`${address}${route}`, { headers });
      if (page.status !== 200) throw new Error(`${route} answered ${page.status}`);
      html = await page.text();
      single.push(performance.now() - t0);
    }
    if (globalThis.__kloeProbe) {
      globalThis.__kloeProbe.reset();
      const runs = 20;
      for (let i = 0; i < runs; i++) await (await fetch(`${address}${route}`, { headers })).text();
      const { renderMs, queries, statements } = globalThis.__kloeProbe.read();
      console.log(`${label}: per request ${(renderMs / runs).toFixed(1)} ms rendering, ${queries / runs} queries`);
      for (const sql of statements.slice(0, queries / runs)) console.log(`  ${sql}`);
    }
    console.log(
      `${label}: one client, median of 10: ${single.sort((a, b) => a - b)[5].toFixed(1)} ms, ${(html.length / 1024).toFixed(0)} KiB`,
    );
    fs.writeFileSync(staticFile, html);
    if (process.env.BENCH_KEEP_HTML) fs.writeFileSync(process.env.BENCH_KEEP_HTML, html);
    // The static limit first: a dynamic run leaves the server a queue to drain.
    const limit = await wrk(`${address}/assets/${path.basename(staticFile)}`, { connections, seconds });
    const cpuBefore = serverCpuMs();
    const postgresBefore = await postgresCpuMs();
    const dynamic = await wrk(`${address}${route}`, { header: auth, connections, seconds });
    // CPU per request, the server's and PostgreSQL's: steadier than req/s when other work shares the machine.
    const cpuMs = (serverCpuMs() - cpuBefore) / dynamic.requests;
    const postgresMs = postgresCpuSince(postgresBefore, await postgresCpuMs()) / dynamic.requests;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    console.log(
      `${label}: server CPU ${cpuMs.toFixed(2)} ms per request, PostgreSQL CPU ${postgresMs.toFixed(2)} ms per request`,
    );
    console.log(
      `${label.padEnd(38)} | ${dynamic.rps.toFixed(0).padStart(6)} | ${dynamic.p50.toFixed(1).padStart(6)} | ${dynamic.p95.toFixed(1).padStart(6)} | ${dynamic.p99.toFixed(1).padStart(6)} | ${limit.p95.toFixed(2).padStart(13)} | ${(dynamic.p95 / limit.p95).toFixed(1).padStart(8)}×` +
        (dynamic.errors > 0 ? `  (${dynamic.errors} errors)` : ''),
    );
  }
} finally {
  fs.rmSync(staticFile, { force: true });
  await app?.close();
  if (server) await server.stop();
  await database.close();
  if (!keep) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** 1,000 assessments: copies of the demo inspection (every KLOE judged), each with the bench inspector as lead. */
async function makeAssessments(databaseUrl, inspector) {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const template = (await client.query(`select id from assessments where kind = 'inspection' limit 1`)).rows[0].id;
  await client.query(
    `create temp table copies as select gen_random_uuid() as id, n from generate_series(1, $1::int) as n`,
    [count - 2],
  );
  await client.query(
    `insert into assessments (id, series_id, organisation_id, service_id, framework_version_id, kind, title, status, scope, shared_with_organisation)
   select c.id, c.id, a.organisation_id, a.service_id, a.framework_version_id, a.kind, a.title || ' #' || c.n, 'fieldwork', a.scope, false
   from copies c, assessments a where a.id = $1`,
    [template],
  );
  await client.query(`insert into assessment_team (assessment_id, user_id, role) select id, $1, 'lead' from copies`, [
    inspector.actor.userId,
  ]);
  await client.query(
    `insert into assessment_team (assessment_id, user_id, role) values ($1, $2, 'member') on conflict do nothing`,
    [template, inspector.actor.userId],
  );
  for (const [table, columns] of [
    ['findings', 'statement_ref, kloe_ref, outcome, note, updated_by, updated_at'],
    [
      'kloe_judgements',
      'kloe_ref, strengths, areas_for_improvement, exceeded, final_rating, rationale, updated_by, updated_at',
    ],
    ['roll_up_judgements', 'node_ref, final_rating, rationale, updated_by, updated_at'],
  ]) {
    await client.query(
      `insert into ${table} (assessment_id, ${columns}) select c.id, ${columns} from copies c, ${table} t where t.assessment_id = $1`,
      [template],
    );
  }
  await client.query('analyze');
  const rows = (
    await client.query(
      `select (select count(*) from assessments) as assessments, (select count(*) from findings) as findings`,
    )
  ).rows[0];
  await client.end();
  console.log(
    `data: ${rows.assessments} assessments, ${rows.findings} findings (made in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** An inspector with an API token, made as the test helpers make people. */
async function benchInspector(db) {
  const [existing] = reuse
    ? (await db.execute(`select id from users where email like 'bench-%@example.test' limit 1`)).rows
    : [];
  const user =
    existing ??
    (await accountsRepo.insertUser(db, {
      id: randomUUID(),
      name: 'Bench Inspector',
      email: `bench-${randomBytes(4).toString('hex')}@example.test`,
      role: 'inspector',
      organisationId: null,
    }));
  const { token, prefix, tokenHash } = generateApiToken();
  // A read token for a day: it only reads pages.
  await accountsRepo.insertToken(db, {
    userId: user.id,
    name: 'bench',
    prefix,
    tokenHash,
    scope: 'read',
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { actor: { userId: user.id }, token };
}

/** `kloe serve` with KLOE_WORKERS on the bench database; resolves once it says where it listens. */
async function startServer(databaseUrl, secret) {
  const child = spawn(
    process.execPath,
    [...KLOE_NODE_FLAGS, new URL('../bin/kloe.js', import.meta.url).pathname, 'serve', '--port', '0'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        KLOE_WORKERS: String(workers),
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        KLOE_SECRET: secret,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`kloe serve exited (${code}): ${out}`)));
  });
  return {
    pid: child.pid,
    address: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
  };
}

/** CPU time used so far by the server: this process, or the kloe primary and its workers (from /proc). */
function serverCpuMs() {
  if (!server) return processCpuMs();
  const pids = [
    server.pid,
    ...fs.readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').split(' ').filter(Boolean),
  ];
  return sum([...cpuMsOf(pids).values()]);
}

/** CPU used so far by each PostgreSQL backend connected to the bench database, by pid. */
function postgresCpuMs() {
  return postgresCpuMsOf((text, values) => admin.query(text, values), name);
}
