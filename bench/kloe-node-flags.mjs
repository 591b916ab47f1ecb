/**
 * Benches measure kloe as it runs: with the Node.js flags that bin/kloe.js and `npm start` give it. V8
 * reads them only at start, so a bench started without them runs itself again with them (import this
 * module first). BENCH_NODE_DEFAULTS=1 runs it as started, to measure what the flags change.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The flags on bin/kloe.js's first line (`#!/usr/bin/env -S node --flag …`), read rather than repeated. */
export const KLOE_NODE_FLAGS = fs
  .readFileSync(new URL('../bin/kloe.js', import.meta.url), 'utf8')
  .split('\n')[0]
  .split(/\s+/)
  .filter((part) => part.startsWith('--'));

const missing = process.env.BENCH_NODE_DEFAULTS
  ? []
  : KLOE_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  const run = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}
