/**
 * Benches measure kloe as it runs: with the Node.js flags that bin/kloe.js and `npm start` give it. V8
 * reads them only at start, so a bench started without them runs itself again with them (import this
 * module first). BENCH_NODE_DEFAULTS=1 runs it as started, to measure what the flags change.
 */
import { spawnSync } from 'node:child_process';

export const KLOE_NODE_FLAGS = ['--max-semi-space-size=64'];

const missing = process.env.BENCH_NODE_DEFAULTS
  ? []
  : KLOE_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  const run = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}
