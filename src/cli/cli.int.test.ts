/**
 * The real command line, run as a child process from the build (npm test builds first), on an embedded data
 * folder as the quick start uses. The other CLI test files run kloe on PostgreSQL, where it starts sooner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_HTML, SEED_PLAIN } from '../modules/frameworks/testing/seed-files.js';
import { builtinFrameworksFolder } from '../paths.js';
import { assertBuilt, runKloe, startKloeServer } from './testing/run-cli.js';

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
  runKloe(args, { DATA_DIR: path.join(tmp, 'data'), ...env });

describe('kloe CLI', () => {
  it('prints help for every command and exits 0', () => {
    const help = kloe(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'framework', 'demo']) expect(help.stdout).toContain(command);
    const frameworkHelp = kloe(['framework', '--help']);
    for (const sub of ['import', 'export', 'list', 'diff', 'convert', 'schema'])
      expect(frameworkHelp.stdout).toContain(sub);
  });

  it('converts the complete seed into exactly the checked-in catalogue', () => {
    const result = kloe(['framework', 'convert', seed004]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(fs.readFileSync(builtinFile, 'utf8'));
  });

  it('imports a seed once, recognises the same import, lists and exports it', () => {
    const first = kloe(['framework', 'import', seed004]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'Imported audit-commission-j2 as version 1: 15 KLOEs, 52 promising, 51 uncertain statements\n',
    );
    const again = kloe(['framework', 'import', builtinFile]);
    expect(again.stdout).toMatch(/unchanged: identical to version 1/);

    expect(kloe(['framework', 'list']).stdout).toMatch(/^audit-commission-j2\tversion 1\t/);
    expect(JSON.parse(kloe(['framework', 'list', '--json']).stdout)[0].id).toBe('audit-commission-j2');
    expect(kloe(['framework', 'export', 'audit-commission-j2']).stdout).toBe(fs.readFileSync(builtinFile, 'utf8'));
    expect(kloe(['framework', 'export', 'audit-commission-j2', '--format', 'yaml']).stdout).toMatch(
      /^format: kloe-framework\/1\n/,
    );
  });

  it('diffs the two seeds, showing the promising descriptor 000 lacks', () => {
    const result = kloe(['framework', 'diff', seed000, seed004]);
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
  ])('fails on %s with a one-line message and a non-zero exit', (_name, args, message) => {
    const result = kloe(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a file that is not a KLOE table, naming the line, and writes nothing', () => {
    const csv = path.join(tmp, 'people.csv');
    fs.writeFileSync(csv, 'name,age\nbob,3\n');
    const dataDir = path.join(tmp, 'untouched');
    const result = kloe(['framework', 'import', csv], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kloe: .*people\.csv: line \d+/);
    expect(fs.existsSync(dataDir)).toBe(false); // refused before the database was even opened
  });

  it('fails fast on a malformed or unreachable DATABASE_URL', () => {
    const malformed = kloe(['migrate'], { DATABASE_URL: 'not a url' });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(
      'kloe: Invalid configuration: DATABASE_URL must be a URL such as postgres://user@127.0.0.1:5432/kloe\n',
    );
    const unreachable = kloe(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/kloe' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^kloe: Cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/kloe: .*\n$/);
    expect(unreachable.stderr).not.toContain('postgres@');
  });

  it('never loads demo data in production, nor opens the database to refuse it', () => {
    const dataDir = path.join(tmp, 'production');
    const result = kloe(['demo', 'load'], {
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
    const second = kloe(['migrate'], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^kloe: The data folder .*locked is in use by another kloe process;/);

    expect(await server.stop()).toBe(0);
    expect(kloe(['migrate'], { DATA_DIR: dataDir }).code).toBe(0);
  });
});
