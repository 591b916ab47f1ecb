#!/usr/bin/env node
/**
 * Benchmark: how long a kloe process takes to start, and the CPU it spends doing so, with the resolution memo
 * that `bin/kloe.js` registers (src/resolution-memo.ts) and with Node's own resolution alone (`dist/main.js`
 * started directly). Three cases: `kloe --version` (the command line only), `kloe user --help` (a command's
 * modules loaded), and `kloe serve` on a migrated embedded database until /health answers.
 *
 *   npm run build && node bench/startup.mjs
 *
 * Env: BENCH_RUNS (default 7). Runs the two ways in turn and prints medians; asserts nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMsOf } from './cpu.mjs';
import { KLOE_NODE_FLAGS } from './kloe-node-flags.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const root = new URL('..', import.meta.url).pathname;
const ENTRIES = { 'with the memo': 'bin/kloe.js', 'Node alone': 'dist/main.js' };
const PORT = 3917;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-bench-startup-'));
const cpuFile = path.join(work, 'cpu');
// A process's own CPU at exit (every thread), written where the bench reads it: /proc forgets an ended process.
const reportCpu = `data:text/javascript,${encodeURIComponent(
  `import fs from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); ` +
    `fs.writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1000)); });`,
)}`;
const env = { ...process.env, DATA_DIR: path.join(work, 'data'), KLOE_DEMO: 'off', LOG_LEVEL: 'silent' };

function run(entry, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...KLOE_NODE_FLAGS, '--import', reportCpu, entry, ...args], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${entry} ${args.join(' ')} exited ${code}`));
      resolve({ ms: performance.now() - started, cpuMs: Number(fs.readFileSync(cpuFile, 'utf8')) });
    });
  });
}

async function serveUntilHealthy(entry) {
  const started = performance.now();
  const child = spawn(process.execPath, [...KLOE_NODE_FLAGS, entry, 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(PORT) },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${PORT}/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`${entry} serve exited ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return { ms: performance.now() - started, cpuMs: cpuMsOf([child.pid]).get(child.pid) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const CASES = {
  'kloe --version': (entry) => run(entry, ['--version']),
  'kloe user --help': (entry) => run(entry, ['user', '--help']),
  'kloe serve until /health answers': serveUntilHealthy,
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  await run(ENTRIES['with the memo'], ['migrate']); // the database serve starts on
  console.log(`${runs} runs each, the two ways in turn; load average ${os.loadavg()[0].toFixed(1)}`);
  console.log('case                               | way           | wall ms | CPU ms');
  for (const [name, measure] of Object.entries(CASES)) {
    const seen = Object.fromEntries(Object.keys(ENTRIES).map((way) => [way, []]));
    for (let i = 0; i < runs; i++) {
      for (const [way, entry] of Object.entries(ENTRIES)) seen[way].push(await measure(entry));
    }
    for (const [way, results] of Object.entries(seen)) {
      const wall = median(results.map((r) => r.ms)).toFixed(0);
      const cpu = median(results.map((r) => r.cpuMs)).toFixed(0);
      console.log(`${name.padEnd(34)} | ${way.padEnd(13)} | ${wall.padStart(7)} | ${cpu.padStart(6)}`);
    }
  }
  console.log(`load average at the end ${os.loadavg()[0].toFixed(1)}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
