#!/usr/bin/env node
/**
 * Benchmark: evidence search with 100,000 items of about 2 KB of extracted text each on PostgreSQL —
 * p50/p95 of kloe's search through the app (auth, the visibility check, the capped ranked query with
 * ts_headline snippets, JSON), in one assessment (GET /api/assessments/:id/evidence/search) and across all
 * the evidence the person may see (GET /api/evidence/search); against the very query kloe runs (the SQL text
 * of searchSql with its parameters written in: the walk, and the GIN way after it where kloe needs it, in a
 * transaction with the same planner settings) run directly in psql (\timing), and their ratio; the CPU
 * per search of kloe (node) and of its PostgreSQL backends; kloe on words of middling use; for reference, the old query ranking every match (ts_rank over every matching file) in
 * psql. Then the throughput of uploading and extracting 1,000 small PDFs (POST multipart, one PDF each,
 * sequential).
 *
 *   npm run build && node bench/evidence-search.mjs
 *
 * Env: BENCH_DATABASE_URL (admin connection; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_ITEMS (default 100000), BENCH_PDFS (default 1000), BENCH_RUNS (runs per query, default 10),
 * BENCH_DB (a database name to keep and reuse: made and loaded on the first run, only migrated on later runs,
 * never dropped — for studying plans with EXPLAIN between runs; drop it yourself when done), BENCH_OLD=0 leaves
 * out the old rank-everything query (the slowest part).
 * Prints figures; asserts nothing. kloe, PostgreSQL and psql share this machine's cores.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inArray } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('db/client.js');
const { prepareDatabase } = await load('startup.js');
const { buildApp } = await load('app.js');
const accountsRepo = await load('modules/accounts/accounts.repository.js');
const { generateApiToken } = await load('modules/accounts/api-tokens.js');
const { makePdf } = await load('files/sample-files.js');
const { multipartBody } = await load('files/multipart-body.js');
const { FILE_TYPES } = await load('files/file-types.js');
const { refreshFilesSearch } = await load('modules/evidence/evidence.repository.js');
const { evidenceItems } = await load('modules/evidence/evidence.tables.js');
const { searchSql, choiceSql, chooseWay, SEARCH_CANDIDATES, INDEX_PLANNER_SETTINGS } = await load(
  'modules/evidence/evidence-search.js',
);

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const itemCount = Number(process.env.BENCH_ITEMS ?? 100_000);
const pdfCount = Number(process.env.BENCH_PDFS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 10);
const withOld = process.env.BENCH_OLD !== '0';

/** Words of the evidence: a domain vocabulary and a long tail of made-up words, Zipf-like in use. */
const DOMAIN = `repairs backlog tenants satisfaction performance scrutiny councillors members improvement plan budget
  housing voids lettings complaints responsive maintenance contractor inspection target indicator quartile
  value money costs savings procurement partnership residents consultation equality diversity training staff
  workforce capacity leadership governance risk audit committee report monthly quarterly annual trend`
  .split(/\s+/)
  .filter(Boolean);
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed / 2 ** 31);
const syllables = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'te',
  'vo',
  'bri',
  'dan',
  'fel',
  'gor',
  'hin',
  'jul',
  'pet',
  'wis',
];
const TAIL = Array.from({ length: 20_000 }, () =>
  Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(
    '',
  ),
);
const word = () =>
  random() < 0.3 ? DOMAIN[Math.floor(random() ** 2 * DOMAIN.length)] : TAIL[Math.floor(random() ** 3 * TAIL.length)];
function document() {
  const words = [];
  let length = 0;
  while (length < 2000) {
    const w = word();
    words.push(w);
    length += w.length + 1;
  }
  return words.join(' ');
}

const QUERIES = [
  'repairs',
  'backlog',
  'tenants satisfaction',
  'improvement plan',
  'councillors scrutiny',
  'voids or lettings',
  'budget -savings',
  'quartile indicator',
  TAIL[5],
  TAIL[500],
  TAIL[5000],
  `${TAIL[10]} ${TAIL[20]}`,
  'procurement partnership',
  'workforce training',
  'complaints',
  'value money',
];
/** Words in about 2–30% of the items: too rare for the walk, common enough that the GIN way reads many rows. */
const MIDDLING = [TAIL[20], TAIL[50], TAIL[100], TAIL[300], TAIL[1000]];
/** Phrases of common words: the GIN index finds the items having both words, not their order. */
const PHRASES = ['"tenants satisfaction"', '"repairs backlog"', '"value money"'];

const reuse = process.env.BENCH_DB;
if (reuse !== undefined && !/^[a-z_][a-z0-9_]*$/.test(reuse)) throw new Error('BENCH_DB: use a plain lower-case name');
const name = reuse ?? `kloe_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
if (!exists) await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-bench-evidence-'));

const database = await openDatabase({ databaseUrl: url.toString() });
let app;
try {
  const config = {
    env: 'test',
    logLevel: 'silent',
    baseUrl: 'http://localhost:3000',
    secret: randomBytes(32).toString('hex'),
    session: { idleMinutes: 120, maxHours: 12 },
    admin: undefined,
    signInAttemptsPerMinute: 10,
    oidc: undefined,
    evidence: { dir: evidenceDir, maxBytes: 50 * 1024 * 1024, types: FILE_TYPES, uploadsAtOnce: 8 },
    reports: { pdfQueueSize: 4 },
  };
  await prepareDatabase(database, config);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const assessment = (
    await client.query(`select id, organisation_id from assessments where kind = 'self_assessment' order by id limit 1`)
  ).rows[0];
  const member = await benchMember(database.db, assessment.organisation_id);

  // ---- 100,000 items with a file each, inserted in batches (the tsvectors are generated by PostgreSQL).
  let started = performance.now();
  const batch = 1000;
  const loaded = Number(
    (
      await client.query("select count(*) from evidence_items where assessment_id = $1 and title like 'Evidence %'", [
        assessment.id,
      ])
    ).rows[0].count,
  );
  for (let done = loaded; done < itemCount; done += batch) {
    const n = Math.min(batch, itemCount - done);
    const items = Array.from({ length: n }, (_, i) => [randomUUID(), `Evidence ${done + i}: ${word()} ${word()}`]);
    const texts = items.map(() => document());
    await client.query(
      `insert into evidence_items (id, assessment_id, title, kind) select unnest($1::uuid[]), $2, unnest($3::text[]), 'document'`,
      [items.map((i) => i[0]), assessment.id, items.map((i) => i[1])],
    );
    const fileIds = items.map(() => randomUUID());
    await client.query(
      `insert into evidence_files (id, sha256, size, media_type, original_name, extraction_status, extracted_text)
       select unnest($1::uuid[]), unnest($2::text[]), 2048, 'text/plain', 'bench.txt', 'done', unnest($3::text[])`,
      [
        fileIds,
        texts.map((t) =>
          createHash('sha256')
            .update(t + randomUUID())
            .digest('hex'),
        ),
        texts,
      ],
    );
    await client.query(
      `insert into evidence_item_files (item_id, file_id, file_name) select unnest($1::uuid[]), unnest($2::uuid[]), 'bench.txt'`,
      [items.map((i) => i[0]), fileIds],
    );
    await refreshFilesSearch(
      database.db,
      inArray(
        evidenceItems.id,
        items.map((i) => i[0]),
      ),
    );
  }
  await client.query('vacuum analyze evidence_items, evidence_files, evidence_item_files');
  const loadSeconds = (performance.now() - started) / 1000;
  const size = (await client.query(`select pg_size_pretty(pg_total_relation_size('evidence_files')) as s`)).rows[0].s;
  console.log(
    loaded >= itemCount
      ? `reused ${loaded} items of ~2 KB text in ${name} (evidence_files ${size})`
      : `loaded ${itemCount - loaded} items of ~2 KB text in ${loadSeconds.toFixed(0)} s (evidence_files ${size})`,
  );

  app = await buildApp({ config, database, logger: false });
  const headers = { authorization: `Bearer ${member.token}` };

  // ---- Search through kloe, in the assessment and across everything the member may see
  const hitsPerQuery = {};
  const cappedQueries = new Set();
  async function timeKloe(urlOf, queries = QUERIES) {
    const times = [];
    const cpuBefore = { node: process.cpuUsage(), db: await databaseCpu() };
    for (const q of queries) {
      for (let r = 0; r < runs + 1; r++) {
        const t0 = performance.now();
        const res = await app.inject({ url: urlOf(encodeURIComponent(q)), headers });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`search ${q}: ${res.statusCode} ${res.body}`);
        if (r > 0) times.push(ms); // the first run of each query warms the caches
        const body = res.json();
        hitsPerQuery[q] = body.results.length;
        if (body.capped) cappedQueries.add(q);
      }
    }
    const requests = queries.length * (runs + 1);
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    return {
      ...stats(times),
      nodeCpuMs: (nodeCpu.user + nodeCpu.system) / 1000 / requests,
      dbCpuMs: (await cpuSince(cpuBefore.db)) / requests,
    };
  }
  const inAssessment = (q) => `/api/assessments/${assessment.id}/evidence/search?q=${q}&limit=20`;
  await timeKloe(inAssessment); // warms the pool's connections and the code, not only each query's first run
  const k = await timeKloe(inAssessment);
  const all = await timeKloe((q) => `/api/evidence/search?q=${q}&limit=20`);
  const middling = await timeKloe(inAssessment, MIDDLING);
  const phrases = await timeKloe(inAssessment, PHRASES);

  // ---- In psql: the statements kloe runs (assessment scope, parameters written in) in their transaction —
  // the walk, and the GIN way after it when the walk found too few — and the old rank-everything query
  const dialect = new PgDialect();
  const kloeSql = (q, way) =>
    inline(searchSql({ assessmentId: assessment.id }, { q, limit: 20 }, SEARCH_CANDIDATES, way));
  const inline = (query) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return text.replace(/\$(\d+)/g, (_, n) => {
      const value = params[Number(n) - 1];
      return typeof value === 'number' ? String(value) : literal(String(value));
    });
  };
  const ways = {};
  const kloeStatements = [];
  for (const q of QUERIES) {
    const way = await chooseWay(database.db, q);
    const walked = way !== 'index' && (way === 'walk all' || (await client.query(kloeSql(q, way))).rowCount > 0);
    ways[q] = walked ? way : way === 'walk' ? 'walk, then index' : 'index';
    const index = INDEX_PLANNER_SETTINGS.map((s) => `set local ${s}`).concat(kloeSql(q, 'index'));
    const choice = choiceSql(q).map(inline);
    kloeStatements.push([
      'begin',
      ...choice,
      ...(way === 'index' ? [] : [kloeSql(q, way)]),
      ...(walked ? [] : index),
      'commit',
    ]);
  }
  const oldSql = (q) =>
    `select f.id, ts_rank(f.search, q) as r from evidence_files f, websearch_to_tsquery('english', ${literal(q)}) q where f.search @@ q order by r desc limit 20`;
  const p = await timePsql(kloeStatements);
  const old = withOld ? await timePsql(QUERIES.map((q) => [oldSql(q)])) : undefined;

  const line = (label, t) =>
    `${label.padEnd(58)} p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms, max ${t.max.toFixed(1)} ms`;
  console.log(
    `queries: ${QUERIES.length} × ${runs} runs; results per query (limit 20): ${QUERIES.map((q) => hitsPerQuery[q]).join(' ')}; ` +
      `capped at ${SEARCH_CANDIDATES} candidates: ${QUERIES.filter((q) => cappedQueries.has(q)).length} of ${QUERIES.length}; ` +
      `ways: ${[...new Set(Object.values(ways))].map((w) => `${w} ${Object.values(ways).filter((v) => v === w).length}`).join(', ')}`,
  );
  console.log(line('kloe search, one assessment (HTTP in-process, snippets):', k));
  console.log(line('kloe search, all the member may see (HTTP in-process):', all));
  for (const [label, t] of [
    ['one assessment', k],
    ['all the member may see', all],
  ])
    console.log(
      `CPU per kloe search, ${label}: node ${t.nodeCpuMs.toFixed(1)} ms, PostgreSQL ${t.dbCpuMs.toFixed(1)} ms`,
    );
  console.log(line('psql, the query kloe runs (one assessment):', p));
  console.log(`ratio kloe / psql: p50 ${(k.p50 / p.p50).toFixed(2)}, p95 ${(k.p95 / p.p95).toFixed(2)}`);
  console.log(line(`kloe search, ${MIDDLING.length} words in 2–30% of the items (one assessment):`, middling));
  console.log(line(`kloe search, ${PHRASES.length} phrases of common words (one assessment):`, phrases));
  if (old) console.log(line('psql, for reference: the old query ranking every match:', old));

  // ---- Upload and extract 1,000 small PDFs (BENCH_PDFS=0 leaves this out)
  if (pdfCount > 0) {
    started = performance.now();
    for (let i = 0; i < pdfCount; i++) {
      const { payload, headers: formHeaders } = multipartBody({ title: `Minutes ${i}`, kind: 'document' }, [
        {
          name: `minutes-${i}.pdf`,
          bytes: makePdf(`Minutes of meeting ${i}\nRepairs backlog ${word()} ${word()} ${word()}`),
        },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: `/api/assessments/${assessment.id}/evidence`,
        headers: { ...headers, ...formHeaders },
        payload,
      });
      if (res.statusCode !== 201 || res.json().files[0].extraction !== 'done')
        throw new Error(`upload ${i}: ${res.body}`);
    }
    const uploadSeconds = (performance.now() - started) / 1000;
    console.log(
      `upload + extract: ${pdfCount} PDFs in ${uploadSeconds.toFixed(1)} s = ${(pdfCount / uploadSeconds).toFixed(1)} files/s (sequential; sniff, hash, store, pdf.js text, suggestions)`,
    );
  }
  await client.end();
} finally {
  await app?.close();
  await database.close();
  if (reuse === undefined) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  fs.rmSync(evidenceDir, { recursive: true, force: true });
}

/**
 * Each group of statements runs runs+1 times in one psql session (\\timing), its statements' times added
 * up; the first run of each group is left out as warm-up.
 */
async function timePsql(groups) {
  const script = groups
    .flatMap((group) => Array.from({ length: runs + 1 }, () => group.map((s) => `${s};`).join('\n')))
    .join('\n');
  const scriptFile = path.join(evidenceDir, 'bench.sql');
  fs.writeFileSync(scriptFile, `\\timing on\n\\o /dev/null\n${script}\n`);
  const { stdout } = await promisify(execFile)('psql', [url.toString(), '-X', '-q', '-f', scriptFile], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = [...stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
  const totals = groups.flatMap((group) => Array.from({ length: runs + 1 }, () => group.length));
  let next = 0;
  const sums = totals.map((n) => times.slice(next, (next += n)).reduce((a, b) => a + b, 0));
  return stats(sums.filter((_, i) => i % (runs + 1) !== 0));
}

/**
 * CPU time (user + system, ms) of each PostgreSQL backend connected to the bench database, by pid (Linux
 * /proc); `cpuSince` adds up what each used after an earlier reading (a new backend counts whole).
 */
async function databaseCpu() {
  const pids = (await admin.query('select pid from pg_stat_activity where datname = $1', [name])).rows;
  const cpu = new Map();
  for (const { pid } of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // utime, stime: 100 ticks a second
    } catch {
      // the backend ended meanwhile
    }
  }
  return cpu;
}

async function cpuSince(before) {
  let ms = 0;
  for (const [pid, now] of await databaseCpu()) ms += now - (before.get(pid) ?? 0);
  return ms;
}

function literal(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}

/** An organisation member with an API token, as the test helpers make people. */
async function benchMember(db, organisationId) {
  const user = await accountsRepo.insertUser(db, {
    id: randomUUID(),
    name: 'Bench Member',
    email: `bench-${randomBytes(4).toString('hex')}@example.test`,
    role: 'organisation_member',
    organisationId,
  });
  const { token, prefix, tokenHash } = generateApiToken();
  // A write token for a day: it uploads the evidence it searches.
  await accountsRepo.insertToken(db, {
    userId: user.id,
    name: 'bench',
    prefix,
    tokenHash,
    scope: 'write',
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { token };
}
