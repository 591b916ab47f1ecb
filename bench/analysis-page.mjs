#!/usr/bin/env node
/**
 * Benchmark: one organisation's indicator analysis page on a PostgreSQL database that already holds the
 * national data (made by `BENCH_REUSE=1 node bench/indicators.mjs postgres`, which also calls this):
 * in-process requests one at a time (median, p95, server CPU per page, page size), each organisation's
 * page first and then one page again (remembered), then wrk on loopback at 20 concurrent clients. Re-run quickly, without import or recompute:
 *
 *   npm run build && node --import ./bench/probe.mjs bench/analysis-page.mjs
 *
 * Env: BENCH_DATABASE (default kloe_bench_400x200x20 on postgres://postgres@127.0.0.1:5432),
 * BENCH_PAGES (default 100), BENCH_CONNECTIONS (wrk clients, default 20; 0: no wrk run), BENCH_SECONDS
 * (default 10). With the probe it also prints rendering time and queries per page. Prints figures;
 * asserts nothing. The load average is printed beside the figures: the machine may be shared.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresCpuMs, postgresCpuSince, processCpuMs } from './cpu.mjs';
import { wrk } from './wrk.mjs';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);

const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

/** Measures the page on an open PostgreSQL database (with its `url`) whose organisations hold values and results. */
export async function measureAnalysisPage(database, options = {}) {
  const { buildApp } = await load('app.js');
  const accountsRepo = await load('modules/accounts/accounts.repository.js');
  const { generateApiToken } = await load('modules/accounts/api-tokens.js');
  const { FILE_TYPES } = await load('files/file-types.js');
  const orgTables = await load('modules/organisations/organisations.tables.js');
  const { publicFolder } = await load('paths.js');
  const { db } = database;
  const pages = options.pages ?? Number(process.env.BENCH_PAGES ?? 100);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 20);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);

  const app = await buildApp({
    config: {
      env: 'test', // templates compiled once, as in production
      logLevel: 'silent',
      baseUrl: 'http://localhost',
      secret: 'bench-secret-long-enough-for-signing',
      session: { idleMinutes: 60, maxHours: 12 },
      admin: undefined,
      signInAttemptsPerMinute: 1000,
      oidc: undefined,
      evidence: {
        dir: path.join(os.tmpdir(), 'kloe-bench-evidence'),
        maxBytes: 1024 * 1024,
        types: [...FILE_TYPES],
        uploadsAtOnce: 8,
      },
      reports: { pdfQueueSize: 4 },
    },
    database,
    logger: false,
  });
  try {
    const user = await accountsRepo.insertUser(db, {
      id: randomUUID(),
      name: 'Bench',
      email: `bench-${randomUUID()}@example.test`,
      role: 'inspector',
      organisationId: null,
    });
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
    const orgs = await db.select({ id: orgTables.organisations.id }).from(orgTables.organisations);
    const urlOf = (i) => `/indicators/organisations/${orgs[(i * 37) % orgs.length].id}`;
    const headers = { authorization: `Bearer ${token}`, accept: 'text/html', 'accept-encoding': 'gzip' };

    // One at a time: first each organisation's page once (nothing remembered yet: the figures are read and
    // the page drawn), then one organisation's page again and again (its view and page remembered).
    const measure = async (label, urls) => {
      const times = [];
      let cpu = 0;
      let bytes = 0;
      globalThis.__kloeProbe?.reset();
      for (const url of urls) {
        const started = performance.now();
        const cpuBefore = processCpuMs();
        const res = await app.inject({ url, headers });
        if (res.statusCode !== 200) throw new Error(`analysis page answered ${res.statusCode}`);
        times.push(performance.now() - started);
        cpu += processCpuMs() - cpuBefore;
        bytes += res.rawPayload.length;
      }
      times.sort((a, b) => a - b);
      const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      console.log(
        `analysis page, ${label} (in-process, one at a time, ${urls.length} requests): median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, server CPU ${(cpu / urls.length).toFixed(1)} ms per page, ${(bytes / urls.length / 1024).toFixed(0)} KiB sent; ${loadAverage()}`,
      );
      if (globalThis.__kloeProbe) {
        const { renderMs, queries } = globalThis.__kloeProbe.read();
        console.log(
          `  per page: ${(renderMs / urls.length).toFixed(1)} ms rendering templates, ${(queries / urls.length).toFixed(1)} queries`,
        );
      }
    };
    // The first few warm the JIT (their organisations are not measured again).
    for (let i = 0; i < 5; i++) await app.inject({ url: urlOf(pages + i), headers });
    await measure(
      'each organisation first',
      Array.from({ length: pages }, (_, i) => urlOf(i)),
    );
    await measure(
      'the same organisation again',
      Array.from({ length: pages }, () => urlOf(0)),
    );

    if (connections > 0) {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      // wrk fetches one URL: one organisation's page, remembered after the first request, as an analyst's
      // colleagues or a reload would find it. The floor: the same bytes as a static file, same server.
      const html = await (await fetch(`${address}${urlOf(0)}`, { headers })).text();
      const staticFile = path.join(publicFolder, `bench-analysis-${randomUUID()}.html`);
      fs.writeFileSync(staticFile, html);
      try {
        const staticCpuBefore = processCpuMs();
        // Static files are sent as they are (uncompressed), whatever the client takes.
        const floor = await wrk(`${address}/assets/${path.basename(staticFile)}`, { connections, seconds, threads: 1 });
        console.log(
          `the same page as a static file (wrk, ${connections} clients, ${seconds} s): ${floor.rps.toFixed(1)} req/s, p50 ${floor.p50.toFixed(1)} ms, p95 ${floor.p95.toFixed(1)} ms; server CPU ${((processCpuMs() - staticCpuBefore) / Math.max(1, floor.requests)).toFixed(2)} ms per request; ${loadAverage()}`,
        );
        // PostgreSQL's CPU: its backends serving the bench database, read from /proc (same machine).
        const admin = new pg.Client({ connectionString: database.url });
        await admin.connect();
        const databaseName = new URL(database.url).pathname.slice(1);
        const query = (text, values) => admin.query(text, values);
        const cpuBefore = processCpuMs();
        const postgresBefore = await postgresCpuMs(query, databaseName);
        const result = await wrk(`${address}${urlOf(0)}`, {
          // As a browser asks for it: remembered pages are sent gzipped to whoever takes gzip.
          header: [`Authorization: Bearer ${token}`, 'Accept-Encoding: gzip'],
          connections,
          seconds,
          threads: 1,
        });
        const cpu = (processCpuMs() - cpuBefore) / Math.max(1, result.requests);
        const postgres =
          postgresCpuSince(postgresBefore, await postgresCpuMs(query, databaseName)) / Math.max(1, result.requests);
        console.log(
          `analysis page (wrk, ${connections} clients, ${seconds} s, loopback): ${result.rps.toFixed(1)} req/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${(result.p95 / floor.p95).toFixed(1)} × the static file's p95); CPU per page: server ${cpu.toFixed(2)} ms, PostgreSQL ${postgres.toFixed(2)} ms${result.errors ? `, ${result.errors} errors` : ''}; ${loadAverage()}`,
        );
        await admin.end();
        console.log(
          `ANALYSIS PAGE ${result.p95 < 100 && !result.errors ? 'PASS' : 'FAIL'}: p95 under 100 ms at ${connections} clients`,
        );
      } finally {
        fs.rmSync(staticFile, { force: true });
      }
    }
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { openDatabase } = await load('db/client.js');
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${process.env.BENCH_DATABASE ?? 'kloe_bench_400x200x20'}`;
  const database = Object.assign(await openDatabase({ databaseUrl: url.toString() }), { url: url.toString() });
  try {
    await measureAnalysisPage(database);
  } finally {
    await database.close();
  }
}
