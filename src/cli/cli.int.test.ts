/**
 * The command line on an embedded data folder, as the quick start uses: commands run in this process as `kloe`
 * runs them, and the built command as a child process where the process is what is tested (its exit status, a
 * data folder another process holds). The other CLI test files run kloe on PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HTML, SEED_PLAIN } from '../modules/frameworks/testing/seed-files.js';
import { builtinFrameworksFolder } from '../paths.js';
import { assertBuilt, kloeInProcess, kloeProcess, startKloeServer } from './testing/run-cli.js';

const seed000 = SEED_PLAIN;
const seed004 = SEED_HTML;
const builtinFile = path.join(builtinFrameworksFolder, 'audit-commission-j2.json');

let tmp: string;
beforeAll(() => {
  assertBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const kloe = (args: string[], env: Record<string, string> = {}) =>
  kloeInProcess(args, { DATA_DIR: path.join(tmp, 'data'), ...env });

describe('kloe CLI', () => {
  it('runs as a process: prints its version and exits 0, exits 1 with one line for an unknown command', () => {
    const version = kloeProcess(['--version'], {});
    expect(version).toMatchObject({
      code: 0,
      stdout: `${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}\n`,
    });
    const unknown = kloeProcess(['frobnicate'], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown command 'frobnicate'\n/);
  });

  it('prints help for every command and exits 0', async () => {
    const help = await kloe(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'framework', 'demo']) expect(help.stdout).toContain(command);
    const frameworkHelp = await kloe(['framework', '--help']);
    for (const sub of ['import', 'export', 'list', 'diff', 'convert', 'schema'])
      expect(frameworkHelp.stdout).toContain(sub);
  });

  it('converts the complete seed into exactly the checked-in catalogue', async () => {
    const result = await kloe(['framework', 'convert', seed004]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(fs.readFileSync(builtinFile, 'utf8'));
  });

  it('imports a seed once, recognises the same import, lists and exports it', async () => {
    const first = await kloe(['framework', 'import', seed004]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'Imported audit-commission-j2 as version 1: 15 KLOEs, 52 promising, 51 uncertain statements\n',
    );
    const again = await kloe(['framework', 'import', builtinFile]);
    expect(again.stdout).toMatch(/unchanged: identical to version 1/);

    expect((await kloe(['framework', 'list'])).stdout).toMatch(/^audit-commission-j2\tversion 1\t/);
    expect(JSON.parse((await kloe(['framework', 'list', '--json'])).stdout)[0].id).toBe('audit-commission-j2');
    expect((await kloe(['framework', 'export', 'audit-commission-j2'])).stdout).toBe(
      fs.readFileSync(builtinFile, 'utf8'),
    );
    expect((await kloe(['framework', 'export', 'audit-commission-j2', '--format', 'yaml'])).stdout).toMatch(
      /^format: kloe-framework\/1\n/,
    );
  });

  it('diffs the two seeds, showing the promising descriptor 000 lacks', async () => {
    const result = await kloe(['framework', 'diff', seed000, seed004]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/5\.1\.1.*promising/);
  });

  it.each([
    [
      'a missing file',
      ['framework', 'import', 'no-such-file.txt'],
      /^kloe: Cannot read no-such-file\.txt: no such file\n$/,
    ],
    ['an unknown framework', ['framework', 'export', 'nope'], /^kloe: No framework with id "nope"\n$/],
    [
      'a bad framework reference',
      ['framework', 'export', 'x@two'],
      /^kloe: "x@two" is not a framework id \(ID or ID@VERSION\)\n$/,
    ],
    [
      'an unknown version',
      ['framework', 'export', 'audit-commission-j2@9'],
      /^kloe: Framework "audit-commission-j2" has no version 9\n$/,
    ],
    ['an unknown command', ['frobnicate'], /unknown command/],
  ])('fails on %s with a one-line message and a non-zero exit', async (_name, args, message) => {
    const result = await kloe(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a file that is not a KLOE table, naming the line, and writes nothing', async () => {
    const csv = path.join(tmp, 'people.csv');
    fs.writeFileSync(csv, 'name,age\nbob,3\n');
    const dataDir = path.join(tmp, 'untouched');
    const result = await kloe(['framework', 'import', csv], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kloe: .*people\.csv: line \d+/);
    expect(fs.existsSync(dataDir)).toBe(false); // refused before the database was even opened
  });

  it('fails fast on a malformed or unreachable DATABASE_URL', async () => {
    const malformed = await kloe(['migrate'], { DATABASE_URL: 'not a url' });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(
      'kloe: Invalid configuration: DATABASE_URL must be a URL such as postgres://user@127.0.0.1:5432/kloe\n',
    );
    const unreachable = await kloe(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/kloe' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^kloe: Cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/kloe: .*\n$/);
    expect(unreachable.stderr).not.toContain('postgres@');
  });

  it('never loads demo data in production, nor opens the database to refuse it', async () => {
    const dataDir = path.join(tmp, 'production');
    const result = await kloe(['demo', 'load'], {
      NODE_ENV: 'production',
      KLOE_SECRET: 'a-production-secret-of-at-least-32-chars',
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('kloe: Demo data is never loaded when NODE_ENV=production\n');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('keeps a second process out of a data folder in use, and releases it on SIGTERM', async () => {
    const dataDir = path.join(tmp, 'locked');
    const server = await startKloeServer({ DATA_DIR: dataDir });
    const second = await kloe(['migrate'], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^kloe: The data folder .*locked is in use by another kloe process;/);

    expect(await server.stop()).toBe(0);
    expect((await kloe(['migrate'], { DATA_DIR: dataDir })).code).toBe(0);
  });
});
