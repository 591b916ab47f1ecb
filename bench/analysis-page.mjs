#!/usr/bin/env node
/**
 * Benchmark: one organisation's indicator analysis page on a PostgreSQL database that already holds the
 * national data (made by `BENCH_REUSE=1 node bench/indicators.mjs postgres`, which also calls this):
 * in-process requests one at a time (median, p95, server CPU per page, page size), then wrk on loopback
 * at a few concurrent clients. Re-run quickly, without import or recompute:
 *
 *   npm run build && node --import ./bench/probe.mjs bench/analysis-page.mjs
 *
 * Env: BENCH_DATABASE (default kloe_bench_400x200x20 on postgres://postgres@127.0.0.1:5432),
 * BENCH_PAGES (default 100), BENCH_CONNECTIONS (wrk clients, default 4; 0: no wrk run), BENCH_SECONDS
 * (default 10). With the probe it also prints rendering time and queries per page. Prints figures;
 * asserts nothing. The load average is printed beside the figures: the machine may be shared.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrk } from './wrk.mjs';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);

const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Measures the page on an open database whose organisations hold values and recomputed results. */
export async function measureAnalysisPage(database, options = {}) {
  const { buildApp } = await load('app.js');
  const accountsRepo = await load('modules/accounts/accounts.repository.js');
  const { generateApiToken } = await load('modules/accounts/api-tokens.js');
  const { FILE_TYPES } = await load('modules/evidence/file-types.js');
  const orgTables = await load('modules/organisations/organisations.tables.js');
  const { db } = database;
  const pages = options.pages ?? Number(process.env.BENCH_PAGES ?? 100);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 4);
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
    const headers = { authorization: `Bearer ${token}`, accept: 'text/html' };

    const times = [];
    let cpu = 0;
    let bytes = 0;
    const warmUp = 5;
    for (let i = 0; i < pages + warmUp; i++) {
      if (i === warmUp) globalThis.__kloeProbe?.reset();
      const started = performance.now();
      const cpuBefore = cpuMs();
      const res = await app.inject({ url: urlOf(i), headers });
      if (res.statusCode !== 200) throw new Error(`analysis page answered ${res.statusCode}`);
      if (i < warmUp) continue; // the first few warm the caches and the JIT
      times.push(performance.now() - started);
      cpu += cpuMs() - cpuBefore;
      bytes += res.rawPayload.length;
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(
      `analysis page (in-process, one at a time, ${pages} organisations): median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, server CPU ${(cpu / pages).toFixed(0)} ms per page, ${(bytes / pages / 1024).toFixed(0)} KiB; ${loadAverage()}`,
    );
    if (globalThis.__kloeProbe) {
      const { renderMs, queries } = globalThis.__kloeProbe.read();
      console.log(`  per page: ${(renderMs / pages).toFixed(1)} ms rendering templates, ${queries / pages} queries`);
    }

    if (connections > 0) {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      // wrk fetches one URL: a Lua script would cycle organisations, the one page is as heavy as any.
      const cpuBefore = cpuMs();
      const result = await wrk(`${address}${urlOf(0)}`, {
        header: `Authorization: Bearer ${token}`,
        connections,
        seconds,
        threads: 1,
      });
      console.log(
        `analysis page (wrk, ${connections} clients, ${seconds} s, loopback): ${result.rps.toFixed(1)} req/s, p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, server CPU ${((cpuMs() - cpuBefore) / Math.max(1, result.requests)).toFixed(0)} ms per page${result.errors ? `, ${result.errors} errors` : ''}; ${loadAverage()}`,
      );
    }
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { openDatabase } = await load('db/client.js');
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${process.env.BENCH_DATABASE ?? 'kloe_bench_400x200x20'}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    await measureAnalysisPage(database);
  } finally {
    await database.close();
  }
}
