#!/usr/bin/env node
/**
 * Benchmark: the report of an assessment with all 15 KLOEs judged and rated (the demo inspection), with
 * 500 evidence items and 20 indicator charts given through the report's extension points — time to
 * HTML, DOCX and PDF, to DOCX filled into the starter custom template, to check a template on upload,
 * file sizes, and the peak memory of this process (chromium's own memory is not
 * in it: it runs in processes of its own).
 *
 *   npm run build && node bench/report.mjs
 *
 * Env: BENCH_EVIDENCE (default 500), BENCH_CHARTS (default 20), BENCH_RUNS (default 3: the first run,
 * then the median of all), CHROMIUM_PATH. Embedded PGlite in memory. Prints figures; asserts nothing.
 */
import './kloe-node-flags.mjs'; // first: it may run this bench again with kloe's flags
import { createHash } from 'node:crypto';
import fs from 'node:fs';

import { load, openDemoInspection } from './demo-inspection.mjs';

const { createReportsService } = await load('modules/reports/reports.service.js');
const { createViewEnvironment } = await load('web/nunjucks.js');
const { reportTemplates } = await load('modules/reports/reports.tables.js');
const { starterTemplate } = await load('modules/reports/starter-template.js');
const { createPdfPrinter } = await load('modules/reports/report-pdf.js');
const { createTemplateRenderer } = await load('modules/reports/template-renderer.js');

const evidenceCount = Number(process.env.BENCH_EVIDENCE ?? 500);
const chartCount = Number(process.env.BENCH_CHARTS ?? 20);
const runs = Number(process.env.BENCH_RUNS ?? 3);
// Every KLOE of the built-in framework, as the tests' J2_KLOE_REFS are.
const { leafKloes } = await load('modules/frameworks/framework.tree.js');
const KLOES = leafKloes(
  JSON.parse(fs.readFileSync(new URL('../frameworks/audit-commission-j2.json', import.meta.url), 'utf8')),
).map((leaf) => leaf.kloe.ref);
const KINDS = ['document', 'interview', 'focus group', 'site visit', 'survey', 'performance data'];

/** A line chart of five years, as the indicators module's server-side SVGs are (a few KB each). */
function chart(i) {
  const values = Array.from({ length: 5 }, (_, y) => 55 + ((i * 7 + y * 5) % 40));
  const points = values.map((v, y) => `${40 + y * 80},${200 - v * 2}`).join(' ');
  const axis = values
    .map((v, y) => `<text x="${40 + y * 80}" y="220" font-size="11" text-anchor="middle">${2021 + y}/${22 + y}</text>`)
    .join('');
  return {
    id: `c${i}`,
    title: `Indicator BV${200 + i}: repairs completed on time`,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 230" width="400" height="230" aria-hidden="true"><rect width="400" height="230" fill="#fff"/><polyline points="${points}" fill="none" stroke="#1d70b8" stroke-width="3"/>${axis}</svg>`,
    textAlternative: `Line chart: repairs completed on time went from ${values[0]}% in 2021/22 to ${values[4]}% in 2025/26.`,
    table: {
      caption: `Indicator BV${200 + i} by year`,
      columns: ['Year', 'Repairs on time (%)'],
      rows: values.map((v, y) => [`${2021 + y}/${22 + y}`, String(v)]),
    },
  };
}

const evidence = Array.from({ length: evidenceCount }, (_, i) => ({
  id: `e${i + 1}`,
  title: `Evidence item ${i + 1}: ${KINDS[i % KINDS.length]} record`,
  kind: KINDS[i % KINDS.length],
  source: i % 2 ? 'Head of housing' : `repairs-document-${i}.pdf`,
  date: `2026-0${1 + (i % 9)}-1${i % 10}`,
  sha256: createHash('sha256').update(`evidence ${i}`).digest('hex'),
}));
const evidenceRefs = {};
evidence.forEach((e, i) => {
  (evidenceRefs[KLOES[i % KLOES.length]] ??= []).push({ id: e.id, title: e.title, relation: 'supports' });
});
const extensions = { evidence, evidenceRefs, charts: Array.from({ length: chartCount }, (_, i) => chart(i + 1)) };

const { database, inspection } = await openDemoInspection();
const { db } = database;
const printer = createPdfPrinter({ chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', queueSize: 1 });
const renderer = createTemplateRenderer();
const reports = createReportsService({
  db,
  views: createViewEnvironment(),
  sources: [{ load: async () => extensions }],
  printer,
  renderer,
});
const system = { kind: 'system', label: 'bench' };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `Report of "${inspection.title}" (15 KLOEs judged and rated, ${evidenceCount} evidence items, ${chartCount} charts), ${runs} runs each, Node ${process.version}`,
);
const starter = await starterTemplate();
const [template] = await db
  .insert(reportTemplates)
  .values({ name: 'Starter', bytes: starter, size: starter.length, sha256: 'bench', placeholders: [] })
  .returning();
const cases = [
  ['html', () => reports.file(system, inspection.id, 'html')],
  ['docx', () => reports.file(system, inspection.id, 'docx')],
  ['pdf', () => reports.file(system, inspection.id, 'pdf')],
  ['docx, starter template', () => reports.file(system, inspection.id, 'docx', { template: template.id })],
  ['template upload check', async () => (await renderer.inspect(starter), { bytes: starter })],
];
for (const [name, run] of cases) {
  const times = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const file = await run();
    times.push(performance.now() - started);
    size = file.bytes.length;
  }
  console.log(
    `${name.padEnd(22)} first ${times[0].toFixed(0).padStart(6)} ms   median ${median(times).toFixed(0).padStart(6)} ms   ${(size / 1024).toFixed(0).padStart(5)} KiB   peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}
console.log(`peak memory (RSS of this process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
await printer.close();
await database.close();
