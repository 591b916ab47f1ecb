/**
 * A Vitest reporter that prints the slowest test files when a run ends, with each file's time split into
 * importing it and running its hooks and tests: where to look first when the suite gets slower.
 */
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTime {
  file: string;
  project: string;
  /** Importing the file and what it imports, in ms. */
  importMs: number;
  /** Its hooks and tests, in ms. */
  testsMs: number;
  /** CPU its hooks and tests took in the worker, in ms, when the project records it (file-cpu.setup.ts). */
  cpuMs?: number;
}

/** How many files the report names. */
const SHOWN = 10;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The `count` slowest files, slowest first, as the lines the reporter prints. */
export function slowestFilesReport(times: readonly FileTime[], count: number): string[] {
  const slowest = [...times].sort((a, b) => b.importMs + b.testsMs - (a.importMs + a.testsMs)).slice(0, count);
  if (slowest.length === 0) return [];
  const width = Math.max(...slowest.map((t) => t.file.length));
  return [
    `Slowest ${slowest.length} test files (import + hooks and tests):`,
    ...slowest.map(
      (t) =>
        `  ${seconds(t.importMs + t.testsMs).padStart(7)}  ${t.file.padEnd(width)}  ` +
        `[${t.project}] ${seconds(t.importMs)} + ${seconds(t.testsMs)}` +
        (t.cpuMs === undefined ? '' : `, CPU ${seconds(t.cpuMs)}`),
    ),
  ];
}

/** The `count` files whose hooks and tests took the most CPU in their workers, most first. */
export function busiestFilesReport(times: readonly FileTime[], count: number): string[] {
  const busiest = times
    .filter((t) => t.cpuMs !== undefined)
    .sort((a, b) => b.cpuMs! - a.cpuMs!)
    .slice(0, count);
  if (busiest.length === 0) return [];
  const width = Math.max(...busiest.map((t) => t.file.length));
  return [
    `Most CPU in the workers, ${busiest.length} test files (hooks and tests; child processes and servers not counted):`,
    ...busiest.map((t) => `  ${seconds(t.cpuMs!).padStart(7)}  ${t.file.padEnd(width)}  [${t.project}]`),
  ];
}

/** Per project: how many files, and their import and hooks-and-tests time summed over the run's workers. */
export function totalsReport(times: readonly FileTime[]): string[] {
  const projects = [...new Set(times.map((t) => t.project))].sort();
  return projects.map((project) => {
    const mine = times.filter((t) => t.project === project);
    const sum = (pick: (t: FileTime) => number) => mine.reduce((total, t) => total + pick(t), 0);
    const cpu = mine.some((t) => t.cpuMs !== undefined) ? `, CPU ${seconds(sum((t) => t.cpuMs ?? 0))}` : '';
    return `  ${project}: ${mine.length} files, import ${seconds(sum((t) => t.importMs))} + hooks and tests ${seconds(sum((t) => t.testsMs))}${cpu}`;
  });
}

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const times = testModules.map((m) => {
      const d = m.diagnostic();
      return {
        file: path.relative(process.cwd(), m.moduleId),
        project: m.project.name,
        importMs: d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration,
        testsMs: d.duration,
        cpuMs: m.meta().cpuMs,
      };
    });
    const lines = slowestFilesReport(times, SHOWN);
    if (lines.length > 0) lines.push(...busiestFilesReport(times, SHOWN));
    if (lines.length > 0) lines.push('Summed over files (the workers run them side by side):', ...totalsReport(times));
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
