import { describe, expect, it } from 'vitest';
import { slowestFilesReport } from './slowest-files.reporter.js';

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
});
