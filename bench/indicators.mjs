#!/usr/bin/env node
/**
 * Benchmark: performance indicators at national scale — by default 400 organisations × 200 indicators ×
 * 20 periods ≈ 1.6 million values from the seeded generator (src/modules/indicators/synthetic.ts).
 *
 *   npm run build && node bench/indicators.mjs postgres     (import vs psql \copy, recompute vs COPY TO, page p95)
 *   npm run build && node bench/analysis-page.mjs           (the page again on the kept database, see there)
 *   npm run build && node bench/indicators.mjs pglite       (import and recompute times, longest event-loop block)
 *
 * Env: BENCH_DATABASE_URL (admin connection; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_ORGANISATIONS / BENCH_INDICATORS / BENCH_PERIODS (default 400 / 200 / 20), BENCH_PAGES (analysis
 * page requests, default 100; BENCH_CONNECTIONS, BENCH_SECONDS: see analysis-page.mjs), BENCH_REUSE=1 (PostgreSQL: keep the database kloe_bench_<size> between runs and,
 * when it already holds the values, skip the import — for profiling the recompute and the page again and
 * again). Needs psql for the PostgreSQL floor figures. Prints figures; asserts nothing.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { measureAnalysisPage } from './analysis-page.mjs';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('db/client.js');
const synthetic = await load('modules/indicators/synthetic.js');
const { readIndicatorFile } = await load('modules/indicators/import-file.js');
const { loadIndicatorFile } = await load('modules/indicators/indicators.import.js');
const { recompute } = await load('modules/indicators/indicators.recompute.js');
const tables = await load('modules/indicators/indicators.tables.js');
const orgTables = await load('modules/organisations/organisations.tables.js');

const driver = process.argv[2] ?? 'postgres';
const size = {
  organisations: Number(process.env.BENCH_ORGANISATIONS ?? 400),
  indicators: Number(process.env.BENCH_INDICATORS ?? 200),
  periods: Number(process.env.BENCH_PERIODS ?? 20),
  firstYear: 2005,
  seed: 7,
  codePrefix: 'B',
};
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SYSTEM = { kind: 'system', label: 'bench' };
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const time = async (work) => {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
};

// The file, written once per size.
const file = path.join(os.tmpdir(), `kloe-indicators-${size.organisations}x${size.indicators}x${size.periods}.csv`);
if (!fs.existsSync(file)) {
  const out = fs.createWriteStream(file);
  let chunk = '';
  for (const line of synthetic.syntheticCsv(size)) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise((r) => out.on('finish', r));
}
const buffer = fs.readFileSync(file);
const lineCount = buffer.toString('latin1').split('\n').length - 2;
console.log(
  `${driver}: ${size.organisations} × ${size.indicators} × ${size.periods} → ${lineCount.toLocaleString('en-GB')} rows, ${(buffer.length / 1e6).toFixed(1)} MB (${file})`,
);

let database;
let dbName;
let dataDir;
const reuse = driver === 'postgres' && process.env.BENCH_REUSE === '1';
let reused = false;
if (driver === 'postgres') {
  dbName = reuse
    ? `kloe_bench_${size.organisations}x${size.indicators}x${size.periods}`
    : `kloe_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  reused = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount > 0;
  if (!reused) await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  database = Object.assign(await openDatabase({ databaseUrl: url.toString() }), { url: url.toString() });
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-bench-pglite-'));
  database = await openDatabase({ dataDir });
}
const { db } = database;

try {
  // A reused database that already holds the values skips the import (BENCH_REUSE).
  const importNeeded = !reused || (await db.select().from(tables.indicatorValues).limit(1)).length === 0;
  if (importNeeded) {
    await db.delete(tables.indicatorDefinitions);
    await db.delete(orgTables.organisations);
    await db.insert(orgTables.organisations).values(synthetic.syntheticOrganisations(size));
    await db
      .insert(tables.indicatorDefinitions)
      .values(synthetic.syntheticDefinitions(size).map(({ base: _base, spread: _spread, ...d }) => d));
  }

  // Longest time the event loop was held, over the import and over the recompute.
  const blocked = (work) => async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    try {
      return { result: await work(), maxBlockMs: delay.max / 1e6 };
    } finally {
      delay.disable();
    }
  };
  const imported = importNeeded ? await time(blocked(() => loadIndicatorFile(database, buffer, SYSTEM))) : undefined;
  const recomputed = await time(blocked(() => recompute(database)));
  if (imported) {
    const { result, maxBlockMs } = imported.result;
    console.log(
      `import (read, check, write ${result.added.toLocaleString('en-GB')} values): ${seconds(imported.ms)}; longest event-loop block ${maxBlockMs.toFixed(0)} ms`,
    );
    const { phases } = result;
    console.log(
      `import phases (reading, checking and loading overlap on PostgreSQL): read ${seconds(phases.read)}, check ${seconds(phases.check)}, load ${seconds(phases.load)}, merge ${seconds(phases.merge)}, audit ${seconds(phases.audit)}`,
    );
    const again = await time(async () => {
      let rows = 0;
      for await (const batch of readIndicatorFile(buffer)) rows += batch.rows.length;
      return rows;
    });
    console.log(`reading and parsing the file alone: ${seconds(again.ms)}`);
  } else console.log(`import skipped: reusing the database ${dbName}`);
  console.log(
    `recompute (${recomputed.result.result.indicators} indicators, window ${recomputed.result.result.window}): ${seconds(recomputed.ms)}; longest event-loop block ${recomputed.result.maxBlockMs.toFixed(0)} ms`,
  );

  if (driver === 'postgres') {
    const psql = (args) => {
      const started = performance.now();
      execFileSync('psql', [database.url, '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return performance.now() - started;
    };
    if (imported) {
      psql([
        '-c',
        'drop table if exists bare',
        '-c',
        'create table bare (organisation_code text, indicator_code text, period text, value float8, quality text)',
      ]);
      const copyIn = psql(['-c', `\\copy bare from '${file}' with (format csv, header true)`]);
      console.log(
        `psql \\copy of the same file into a bare table: ${seconds(copyIn)} → import is ${(imported.ms / copyIn).toFixed(2)} × the floor`,
      );
      // The same values into a table with indicator_values' key, index and foreign keys (checked row by
      // row): what loading them into the real table costs at least, however they are staged.
      const valuesFile = path.join(os.tmpdir(), `kloe-bench-values-${randomBytes(4).toString('hex')}.tsv`);
      psql(['-c', `\\copy (select * from indicator_values) to '${valuesFile}'`]);
      psql([
        '-c',
        'drop table if exists keyed',
        '-c',
        'create table keyed (like indicator_values including all); alter table keyed add foreign key (indicator_id) references indicator_definitions (id), add foreign key (organisation_id) references organisations (id)',
      ]);
      const copyKeyed = psql(['-c', `\\copy keyed from '${valuesFile}'`]);
      fs.rmSync(valuesFile);
      console.log(
        `psql \\copy of the values into a table with indicator_values' key, index and foreign keys: ${seconds(copyKeyed)} → import is ${(imported.ms / copyKeyed).toFixed(2)} × that`,
      );
    }
    const copyOut = psql(['-c', `\\copy (select * from indicator_values) to '/dev/null'`]);
    console.log(
      `COPY … TO STDOUT of the values: ${seconds(copyOut)} → recompute is ${(recomputed.ms / copyOut).toFixed(2)} × the floor`,
    );

    await measureAnalysisPage(database);
  }
  console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await database.close();
  if (dbName && !reuse) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
