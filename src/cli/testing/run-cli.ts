/**
 * Running kloe commands in tests: in this process, as `kloe` runs them (src/cli/program.ts) but with the test's
 * environment and output, for what a command does; or the built command as a child process, for what only a
 * process shows (its exit status, signals, a lock another process holds).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { demoParts } from '../../demo-parts.js';
import { createDemoService } from '../../modules/demo/demo.service.js';
import { createFrameworksService } from '../../modules/frameworks/frameworks.service.js';
import { projectRoot } from '../../paths.js';
import { runKloe } from '../program.js';

export const kloeBin = path.join(projectRoot, 'bin', 'kloe.js');

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'main.js'))) throw new Error('run `npm run build` first');
}

export interface KloeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs `kloe …` in this process with the given environment on top of a quiet, embedded-database one. */
export async function kloeInProcess(args: string[], env: Record<string, string>): Promise<KloeResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await runKloe(args, {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs the built `kloe …` as a child process to completion, with the environment as `kloeInProcess` gives it. */
export function kloeProcess(args: string[], env: Record<string, string>): KloeResult {
  const result = spawnSync(process.execPath, [kloeBin, ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * An installation for the kloe commands of the suite that calls this: a fresh PostgreSQL database, made
 * before the suite and dropped after it, and a temporary folder whose data/ is their DATA_DIR (evidence
 * files). cli.int.test.ts keeps the embedded database covered.
 */
export function postgresInstallation(tmpPrefix: string) {
  const installation = {
    /** The suite's temporary folder. */
    tmp: '',
    database: undefined as TestDatabase | undefined,
    /** What points a kloe command at this installation. */
    env: () => ({ DATABASE_URL: installation.database!.url!, DATA_DIR: path.join(installation.tmp, 'data') }),
    kloe: (args: string[], env: Record<string, string> = {}) => kloeInProcess(args, { ...installation.env(), ...env }),
  };
  beforeAll(async () => {
    installation.tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    installation.database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await installation.database?.close();
    fs.rmSync(installation.tmp, { recursive: true, force: true });
  });
  return installation;
}

/**
 * Makes a new installation what `kloe framework import` of the built-in framework and `kloe demo load` make
 * of it, in this process: the suites that call this test other commands, and a `kloe demo load` process
 * took 11.7 s of a suite's start.
 */
export async function installDemo(installation: { database: TestDatabase | undefined }): Promise<void> {
  const db = installation.database!.db;
  await createFrameworksService({ db }).ensureBuiltins();
  await createDemoService({ db, parts: demoParts, production: false }).load();
}

/** Starts `kloe serve` and resolves once it says where it listens, with everything it printed so far. */
export async function startKloeServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [kloeBin, 'serve'], {
    env: { ...process.env, DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /kloe is running at (http:\/\/\S+)/.exec(output);
      if (match) setTimeout(() => resolve(match[1]!), 200); // let the lines printed after it arrive
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async stop(): Promise<number | null> {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
