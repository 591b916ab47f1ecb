/**
 * The data-folder lock across real processes: each contender is a node process taking the lock from the
 * build (dist/), as kloe does, and holding it until it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../cli/testing/run-cli.js';
import { projectRoot } from '../paths.js';

const lockModule = pathToFileURL(path.join(projectRoot, 'dist', 'db', 'data-dir-lock.js')).href;

let tmp: string;
const running: ChildProcess[] = [];
beforeAll(() => {
  assertBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-lock-'));
});
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Starts a process that tries to lock `dataDir`; resolves with whether it got the lock (it then holds it). */
function contender(dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { lockDataDir } from ${JSON.stringify(lockModule)};
       try { lockDataDir(${JSON.stringify(dataDir)}); console.log('locked'); }
       catch (error) { console.log('refused: ' + error.message); process.exit(0); }
       setInterval(() => {}, 60_000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  running.push(child);
  const answer = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    // 'close', not 'exit': a refused contender exits at once, and its exit can be seen before its output.
    child.once('close', (code) =>
      out.includes('\n') ? resolve(out.trim()) : reject(new Error(`contender exited ${code} saying ${out}`)),
    );
  });
  return { child, answer };
}

async function kill(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL'); // no clean-up code runs: only the operating system releases anything
  await exited;
}

describe('data folder lock', () => {
  it('lets exactly one of many processes starting together hold a folder whose last holder was killed', async () => {
    const dataDir = path.join(tmp, 'race');
    const first = contender(dataDir);
    expect(await first.answer).toBe('locked');
    await kill(first.child);

    const answers = await Promise.all(Array.from({ length: 12 }, () => contender(dataDir).answer));
    expect(answers.filter((a) => a === 'locked')).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('refused: '))).toHaveLength(11);
    expect(answers.find((a) => a !== 'locked')).toMatch(/is in use by another kloe process/);
  });

  it('is not kept by a killed holder whose pid now belongs to another program', async () => {
    const dataDir = path.join(tmp, 'reused-pid');
    const holder = contender(dataDir);
    expect(await holder.answer).toBe('locked');
    await kill(holder.child);
    // The pid file older versions of kloe left behind, naming a pid that is now another live program's
    // (this test's, as after a reboot or a container restart).
    fs.writeFileSync(path.join(dataDir, 'kloe.lock'), String(process.pid));

    expect(await contender(dataDir).answer).toBe('locked');
  });
});
