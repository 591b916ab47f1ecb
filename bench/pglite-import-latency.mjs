#!/usr/bin/env node
/**
 * Benchmark: does the site keep answering while an indicator file is imported on PGlite? kloe's app on an
 * embedded database in a new data folder, serving on loopback; a client in a worker thread (its own event
 * loop, so its clock is not held up by the server's) asks for a page every 50 ms, while a synthetic file is
 * uploaded to the import API (read, check, write, recompute) — by default 400 organisations × 9 indicators ×
 * 18 periods ≈ 64,800 values. Prints the import's time and the pages' latencies (median, p95,
 * max) while idle and during the import.
 *
 *   npm run build && node bench/pglite-import-latency.mjs
 *
 * Env: BENCH_ORGANISATIONS / BENCH_INDICATORS / BENCH_PERIODS (default 400 / 9 / 18; 400 / 200 / 20 is the
 * national size, 1.6 million values), BENCH_INTERVAL (ms between requests, default 50), BENCH_PAGE ("health"
 * or "analysis": the organisation's indicator analysis page; default both, alternately), BENCH_IMPORTS (how
 * many of the three imports to run, default 3: the file into an empty table, the same file again, which
 * changes nothing, and the file with every value corrected).
 * Asserts nothing.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { Blob, Buffer } from 'node:buffer';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('db/client.js');
const { prepareDatabase } = await load('startup.js');
const { buildApp } = await load('app.js');
const { loadConfig } = await load('config.js');
const synthetic = await load('modules/indicators/synthetic.js');
const tables = await load('modules/indicators/indicators.tables.js');
const orgTables = await load('modules/organisations/organisations.tables.js');
const accountsRepo = await load('modules/accounts/accounts.repository.js');
const { countBehind } = await load('modules/indicators/indicators.repository.js');
const { generateApiToken } = await load('modules/accounts/api-tokens.js');

const size = {
  organisations: Number(process.env.BENCH_ORGANISATIONS ?? 400),
  indicators: Number(process.env.BENCH_INDICATORS ?? 9),
  periods: Number(process.env.BENCH_PERIODS ?? 18),
  firstYear: 2005,
  seed: 7,
  codePrefix: 'B',
};
const interval = Number(process.env.BENCH_INTERVAL ?? 50);
const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-bench-pglite-import-'));
const config = loadConfig({
  NODE_ENV: 'test', // templates compiled once, as in production
  KLOE_SECRET: randomBytes(32).toString('hex'),
  KLOE_DATA_DIR: dataDir,
  KLOE_EVIDENCE_DIR: path.join(dataDir, 'evidence'),
  KLOE_DEMO: 'off',
  LOG_LEVEL: 'silent',
});
const database = await openDatabase({ dataDir });
let app;
let client;
try {
  await prepareDatabase(database, config, { demo: false });
  const { db } = database;
  const organisations = await db
    .insert(orgTables.organisations)
    .values(synthetic.syntheticOrganisations(size))
    .returning({ id: orgTables.organisations.id });
  await db
    .insert(tables.indicatorDefinitions)
    .values(synthetic.syntheticDefinitions(size).map(({ base: _b, spread: _s, ...definition }) => definition));
  const user = await accountsRepo.insertUser(db, {
    id: randomUUID(),
    name: 'Bench Inspector',
    email: `bench-${randomBytes(4).toString('hex')}@example.test`,
    role: 'inspector',
    organisationId: null,
  });
  const tokenFor = async (scope) => {
    const { token, prefix, tokenHash } = generateApiToken();
    await accountsRepo.insertToken(db, {
      userId: user.id,
      name: `bench ${scope}`,
      prefix,
      tokenHash,
      scope,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    return token;
  };
  const token = await tokenFor('read');
  const writeToken = await tokenFor('write');

  const csv = [...synthetic.syntheticCsv(size)].join('');
  const corrected = csv.replace(/,(\d+)\.(\d),/g, (_, whole, tenth) => `,${whole}.${(Number(tenth) + 1) % 10},`);
  const rows = csv.split('\n').length - 2;

  app = await buildApp({ config, database, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const only = process.env.BENCH_PAGE;
  const routes = [
    ['health', '/health'],
    ['analysis', `/indicators/organisations/${organisations[Math.floor(organisations.length / 2)].id}`],
  ].filter(([name]) => !only || name === only);

  client = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { address, routes, token, interval } = workerData;
    const answers = [];
    let running = true;
    let n = 0;
    parentPort.on('message', (m) => {
      if (m === 'stop') { running = false; parentPort.postMessage(answers); }
      if (m === 'mark') answers.length = 0;
    });
    (async function loop() {
      while (running) {
        const [name, route] = routes[n++ % routes.length];
        const started = performance.now();
        const res = await fetch(address + route, { headers: { authorization: 'Bearer ' + token } });
        await res.arrayBuffer();
        const ms = performance.now() - started;
        answers.push({ name, at: started + performance.timeOrigin, ms, status: res.status });
        await new Promise((r) => setTimeout(r, Math.max(0, interval - ms)));
      }
    })();
    `,
    { eval: true, workerData: { address, routes, token, interval } },
  );
  const answersBetween = () =>
    new Promise((resolve) => {
      client.once('message', resolve);
      client.postMessage('stop');
    });

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const stats = (answers, from, to) => {
    const ms = answers
      .filter((a) => a.at >= from && a.at < to)
      .map((a) => a.ms)
      .sort((a, b) => a - b);
    if (ms.length === 0) return 'no requests';
    const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
    return `${String(ms.length).padStart(4)} requests: median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`;
  };

  console.log(
    `pglite: ${size.organisations} × ${size.indicators} × ${size.periods} → ${rows.toLocaleString('en-GB')} rows; a request every ${interval} ms to ${routes.map(([, r]) => r.replace(/[0-9a-f-]{36}/, '{id}')).join(' and ')}; node ${process.version}, ${os.cpus().length} cores, ${loadAverage()}`,
  );
  const windows = [];
  const now = () => performance.now() + performance.timeOrigin;
  await sleep(2_000); // warm-up: the first requests compile templates
  let from = now();
  await sleep(3_000);
  windows.push(['idle', from, now()]);
  const imports = [
    ['first import (empty table)', csv],
    ['same file again (no change)', csv],
    ['every value corrected', corrected],
  ].slice(0, Number(process.env.BENCH_IMPORTS ?? 3));
  for (const [label, file] of imports) {
    // The real path: the API's upload, as `curl -F file=@values.csv` would send it, through node:http, which
    // waits as long as the import takes (fetch gives up on an answer after 300 s). The body is made before
    // the clock starts: made in this process, it would hold the server's event loop.
    const form = new globalThis.FormData();
    form.append('file', new Blob([file], { type: 'text/csv' }), 'values.csv');
    const body = new globalThis.Request(address, { method: 'POST', body: form });
    const payload = Buffer.from(await body.arrayBuffer());
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpu = process.cpuUsage();
    from = now();
    const { status, outcome } = await new Promise((resolve, reject) => {
      const req = http.request(
        `${address}/api/indicators/import`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${writeToken}`,
            'content-type': body.headers.get('content-type'),
            'content-length': payload.length,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode, outcome: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    if (status !== 200) throw new Error(`the import answered ${status}: ${JSON.stringify(outcome)}`);
    const to = now();
    // The server recomputes in a job after answering (src/modules/indicators/recompute-job.ts): until no
    // indicator's results are behind. Without a job queue the answer came after the recompute.
    while ((await countBehind(db)) > 0) await sleep(20);
    const recomputed = now();
    loop.disable();
    const used = process.cpuUsage(cpu);
    console.log(
      `${label}: ${((to - from) / 1000).toFixed(2)} s to the answer (upload, read, check, write${outcome.recompute ? ', recompute' : ''}), then recompute ${((recomputed - to) / 1000).toFixed(2)} s; added ${outcome.added}, changed ${outcome.changed}; CPU ${((used.user + used.system) / 1e6).toFixed(2)} s; event loop blocked at most ${(loop.max / 1e6).toFixed(0)} ms`,
    );
    windows.push([`  during: upload, check, write`, from, to]);
    windows.push([`  during: recompute job`, to, recomputed]);
    await sleep(1_000);
  }
  from = now();
  await sleep(2_000);
  windows.push(['idle after', from, now()]);
  const answers = await answersBetween();
  const failed = answers.filter((a) => a.status !== 200);
  for (const [label, a, b] of windows)
    for (const [name] of routes)
      console.log(
        `${label.padEnd(32)} ${name.padEnd(9)} ${stats(
          answers.filter((x) => x.name === name),
          a,
          b,
        )}`,
      );
  if (failed.length > 0) console.log(`${failed.length} requests failed: ${[...new Set(failed.map((f) => f.status))]}`);
  console.log(loadAverage());
} finally {
  await client?.terminate();
  await app?.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
