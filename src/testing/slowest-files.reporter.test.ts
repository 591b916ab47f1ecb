import { describe, expect, it } from 'vitest';
import { busiestFilesReport, slowestFilesReport, totalsReport } from './slowest-files.reporter.js';

const time = (file: string, importMs: number, testsMs: number) => ({ file, project: 'integration', importMs, testsMs });

describe('slowest files report', () => {
  it('lists the slowest files first, at most the count asked for, with import and test time apart', () => {
    const lines = slowestFilesReport(
      [time('src/a.int.test.ts', 500, 1_000), time('src/bb.int.test.ts', 200, 9_800), time('src/c.test.ts', 10, 20)],
      2,
    );
    expect(lines).toEqual([
      'Slowest 2 test files (import + hooks and tests):',
      '   10.0 s  src/bb.int.test.ts  [integration] 0.2 s + 9.8 s',
      '    1.5 s  src/a.int.test.ts   [integration] 0.5 s + 1.0 s',
    ]);
  });

  it('prints nothing for a run without files', () => {
    expect(slowestFilesReport([], 10)).toEqual([]);
  });

  it('sums import and test time per project', () => {
    const unit = { file: 'src/u.test.ts', project: 'unit', importMs: 100, testsMs: 50 };
    expect(totalsReport([time('src/a.int.test.ts', 500, 1_000), unit, time('src/b.int.test.ts', 700, 2_000)])).toEqual([
      '  integration: 2 files, import 1.2 s + hooks and tests 3.0 s',
      '  unit: 1 files, import 0.1 s + hooks and tests 0.1 s',
    ]);
  });

  it('lists the files that took the most CPU, leaving out those without a figure, and adds CPU where known', () => {
    const times = [
      { ...time('src/a.int.test.ts', 500, 9_000), cpuMs: 1_200 },
      { ...time('src/b.int.test.ts', 100, 2_000), cpuMs: 1_900 },
      time('e2e/c.test.ts', 100, 30_000),
    ];
    expect(busiestFilesReport(times, 10)).toEqual([
      'Most CPU in the workers, 2 test files (hooks and tests; child processes and servers not counted):',
      '    1.9 s  src/b.int.test.ts  [integration]',
      '    1.2 s  src/a.int.test.ts  [integration]',
    ]);
    expect(slowestFilesReport(times, 2)).toEqual([
      'Slowest 2 test files (import + hooks and tests):',
      '   30.1 s  e2e/c.test.ts      [integration] 0.1 s + 30.0 s',
      '    9.5 s  src/a.int.test.ts  [integration] 0.5 s + 9.0 s, CPU 1.2 s',
    ]);
    expect(totalsReport(times)).toEqual(['  integration: 3 files, import 0.7 s + hooks and tests 41.0 s, CPU 3.1 s']);
  });
});
