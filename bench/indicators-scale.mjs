#!/usr/bin/env node
/**
 * Benchmark: how the benchmarking recompute grows with the data, without the import in the way. Values
 * are made in SQL (a seeded trend and noise per organisation × indicator, one decimal, so ties occur as
 * in real files) for the organisations and definitions of the synthetic generator, then recomputed.
 *
 *   npm run build && node bench/indicators-scale.mjs postgres 200x100x20 400x200x20 800x400x20
 *   npm run build && node bench/indicators-scale.mjs pglite 400x200x20
 *
 * Prints per size: values, recompute time, the longest event-loop block during it, and on PostgreSQL the
 * time of `COPY (select * from indicator_values) TO STDOUT` through psql (the floor of reading them) and
 * the ratio. BENCH_DATABASE_URL as in bench/indicators.mjs. Prints figures; asserts nothing.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { openDatabase } = await load('db/client.js');
const synthetic = await load('modules/indicators/synthetic.js');
const { recompute } = await load('modules/indicators/indicators.recompute.js');
const tables = await load('modules/indicators/indicators.tables.js');
const orgTables = await load('modules/organisations/organisations.tables.js');
const { sql } = await import('drizzle-orm');

const [driver = 'postgres', ...sizes] = process.argv.slice(2);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function admin(statement) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

for (const spec of sizes.length ? sizes : ['400x200x20']) {
  const [organisations, indicators, periods] = spec.split('x').map(Number);
  const size = { organisations, indicators, periods, firstYear: 2005, seed: 7, codePrefix: 'S' };
  let database;
  let url;
  let dataDir;
  const dbName = `kloe_scale_${randomBytes(4).toString('hex')}`;
  if (driver === 'postgres') {
    await admin(`create database ${dbName}`);
    url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    database = await openDatabase({ databaseUrl: url.toString() });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-scale-pglite-'));
    database = await openDatabase({ dataDir });
  }
  const { db } = database;
  try {
    await db.insert(orgTables.organisations).values(synthetic.syntheticOrganisations(size));
    const definitions = synthetic.syntheticDefinitions(size);
    for (let i = 0; i < definitions.length; i += 500)
      await db
        .insert(tables.indicatorDefinitions)
        .values(definitions.slice(i, i + 500).map(({ base: _base, spread: _spread, ...d }) => d));
    const started = performance.now();
    // Level from the indicator's code, a trend per organisation × indicator, noise per value.
    await db.execute(sql`
      insert into indicator_values (indicator_id, period_index, organisation_id, period, value)
      select d.id, ${size.firstYear} + p, o.id, (${size.firstYear} + p)::text,
        round((50 + 40 * (abs(hashtext(d.code)) % 1000) / 1000.0
          + p * ((abs(hashtext(o.code || d.code)) % 200) - 100) / 200.0
          + 5 * ((abs(hashtext(o.code || d.code || p::text)) % 1000) / 1000.0 - 0.5))::numeric, 1)::float8
      from indicator_definitions d cross join organisations o cross join generate_series(0, ${periods - 1}) p`);
    const filled = performance.now() - started;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const outcome = await recompute(database);
    delay.disable();
    const values = organisations * indicators * periods;
    let line = `${driver} ${spec}: ${values.toLocaleString('en-GB')} values (made in ${seconds(filled)}); recompute ${seconds(outcome.durationMs)}, longest event-loop block ${(delay.max / 1e6).toFixed(0)} ms`;
    if (driver === 'postgres') {
      const copyStarted = performance.now();
      execFileSync('psql', [url.toString(), '-q', '-c', `\\copy (select * from indicator_values) to '/dev/null'`], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const copyOut = performance.now() - copyStarted;
      line += `; COPY TO ${seconds(copyOut)} → ${(outcome.durationMs / copyOut).toFixed(2)} × the floor`;
    }
    console.log(`${line}; max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await database.close();
    if (driver === 'postgres') await admin(`drop database if exists ${dbName} with (force)`);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
