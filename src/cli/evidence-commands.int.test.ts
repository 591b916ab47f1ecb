/** `kloe evidence …` through the built command line: add with files → list → search, and refusals. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { makeExe, makePdf } from '../files/sample-files.js';
import { installDemo, postgresInstallation } from './testing/run-cli.js';

describe.skipIf(!postgresAvailable)('kloe evidence [postgres]', () => {
  const installation = postgresInstallation('kloe-evidence-cli-');
  const { kloe } = installation;
  let assessmentId: string;
  beforeAll(async () => {
    await installDemo(installation);
    const list = JSON.parse((await kloe(['assessment', 'list', '--json'])).stdout) as { id: string; kind: string }[];
    assessmentId = list.find((a) => a.kind === 'self_assessment')!.id;
  });

  it('adds an item with a file, lists it and finds it', async () => {
    const pdf = path.join(installation.tmp, 'voids.pdf');
    fs.writeFileSync(pdf, makePdf('Void properties were relet within 21 days'));
    const added = await kloe([
      'evidence',
      'add',
      assessmentId,
      pdf,
      '--title',
      'Voids report',
      '--kind',
      'performance_data',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).files[0]).toMatchObject({ name: 'voids.pdf', extraction: 'done' });
    expect(fs.existsSync(path.join(installation.tmp, 'data', 'evidence'))).toBe(true);

    const list = await kloe(['evidence', 'list', assessmentId]);
    expect(list.stdout).toMatch(/Performance data\t-\t1 files\t0 links\tVoids report/);
    const search = await kloe(['evidence', 'search', 'relet', '--assessment', assessmentId]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('Voids report');
    expect(search.stdout).toContain('«relet»');
  });

  it('refuses a renamed executable, a bad kind and a bad id on one line each, exiting non-zero', async () => {
    const exe = path.join(installation.tmp, 'report.pdf');
    fs.writeFileSync(exe, makeExe());
    const refused = await kloe(['evidence', 'add', assessmentId, exe, '--title', 'x', '--kind', 'document']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim()).toBe('kloe: files: report.pdf is a program, not a document');
    expect((await kloe(['evidence', 'add', assessmentId, '--title', 'x', '--kind', 'rumour'])).code).not.toBe(0);
    const badId = await kloe(['evidence', 'list', 'nope']);
    expect(badId.code).not.toBe(0);
    expect(badId.stderr.trim()).toBe('kloe: "nope" is not an assessment id');
  });
});
