#!/usr/bin/env node
/**
 * Benchmark: PDFs of the demo inspection's report (15 KLOEs judged and rated) printed by kloe's PDF printer —
 * the first (which launches chromium) and the ones after it (the same browser, a fresh context each), one at
 * a time and then BENCH_CONCURRENT at once through the queue; with the memory of chromium's processes.
 *
 *   npm run build && node bench/pdf.mjs
 *
 * Env: BENCH_RUNS (default 5), BENCH_CONCURRENT (default 4), CHROMIUM_PATH. Embedded PGlite in memory.
 * Prints figures; asserts nothing.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { execFileSync } from 'node:child_process';
import { load, openDemoInspection } from './demo-inspection.mjs';

const { createReportsService } = await load('modules/reports/reports.service.js');
const { createPdfPrinter } = await load('modules/reports/report-pdf.js');
const { createTemplateRenderer } = await load('modules/reports/template-renderer.js');
const { createViewEnvironment } = await load('web/nunjucks.js');

const runs = Number(process.env.BENCH_RUNS ?? 5);
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 4);

const { database, inspection } = await openDemoInspection();
const printer = createPdfPrinter({
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  queueSize: concurrent,
});
const reports = createReportsService({
  db: database.db,
  views: createViewEnvironment(),
  sources: [],
  printer,
  renderer: createTemplateRenderer(),
});
const system = { kind: 'system', label: 'bench' };
const pdf = () => reports.file(system, inspection.id, 'pdf');

/** Resident memory of this process's chromium processes, in MiB (ps, Linux). */
function chromiumMiB() {
  const lines = execFileSync('ps', ['-eo', 'rss=,ppid=,pid=,comm='], { encoding: 'utf8' }).trim().split('\n');
  const rows = lines
    .map((l) => l.trim().split(/\s+/))
    .map(([rss, ppid, pid, comm]) => ({ rss: +rss, ppid, pid, comm }));
  const mine = new Set([String(process.pid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) {
      if (mine.has(r.ppid) && !mine.has(r.pid)) {
        mine.add(r.pid);
        grew = true;
      }
    }
  }
  return Math.round(
    rows.filter((r) => mine.has(r.pid) && r.pid !== String(process.pid)).reduce((s, r) => s + r.rss, 0) / 1024,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`PDF of "${inspection.title}", ${runs} runs, then ${concurrent} at once; Node ${process.version}`);
const times = [];
let size = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  size = (await pdf()).bytes.length;
  times.push(performance.now() - started);
}
console.log(
  `one at a time: first ${times[0].toFixed(0)} ms (launches chromium), then median ${median(times.slice(1)).toFixed(0)} ms; ${(size / 1024).toFixed(0)} KiB; chromium ${chromiumMiB()} MiB`,
);
const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: concurrent }, pdf));
console.log(
  `${concurrent} at once: all done in ${(performance.now() - started).toFixed(0)} ms, ${outcomes.filter((o) => o.status === 'fulfilled').length} printed, chromium ${chromiumMiB()} MiB`,
);
await printer.close();
await database.close();
