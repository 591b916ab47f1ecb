/**
 * A data folder holding what a server's first start makes in an embedded database (the built-in framework and
 * the demo, its indicator results computed), made once per build by `kloe demo load` and copied for each
 * browser-test server. Loading the demo is most of a first start's work, and `npm test` starts several servers
 * in three Vitest processes at once: the first process to need the folder makes it while it holds a lock folder,
 * and the others wait for it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_CHROMIUM } from '../../src/testing/test-chromium.js';

/** How long making the folder may take, and how old a lock is when its maker is taken to have died. */
const MAKE_LIMIT_MS = 360_000;

/** Names, sizes and times of the built files: a new build gets a new folder. */
function buildKey(dist: string): string {
  const hash = createHash('sha256');
  for (const entry of fs.readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { size, mtimeMs } = fs.statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function runKloe(root: string, dataDir: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, [path.join(root, 'bin', 'kloe.js'), ...args], {
      // As launchServer starts a server: not Vitest's NODE_ENV=test, under which the demo is a small one.
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        CHROMIUM_PATH: TEST_CHROMIUM,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kloe ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

async function make(root: string, folder: string): Promise<void> {
  const making = `${folder}.making`;
  fs.rmSync(making, { recursive: true, force: true });
  await runKloe(root, making, ['demo', 'load']);
  // The indicator results too, which a first start leaves to a job: a page that shows them then shows them whole.
  await runKloe(root, making, ['indicators', 'recompute']);
  fs.renameSync(making, folder);
  // Folders of earlier builds are of no further use.
  const parent = path.dirname(folder);
  for (const name of fs.readdirSync(parent)) {
    if (name.startsWith('demo-data-') && path.join(parent, name) !== folder && !name.endsWith('.lock')) {
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/** The folder for the current build, made first if no process has made it yet. */
export async function demoDataFolder(root: string): Promise<string> {
  const parent = path.join(root, 'test-results');
  const folder = path.join(parent, `demo-data-${buildKey(path.join(root, 'dist'))}`);
  const lock = `${folder}.lock`;
  fs.mkdirSync(parent, { recursive: true });
  const deadline = Date.now() + 2 * MAKE_LIMIT_MS;
  while (!fs.existsSync(folder)) {
    if (Date.now() > deadline) throw new Error(`No demo data folder at ${folder}: its maker did not finish`);
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another process is making it; a lock older than any make is one whose maker died.
      const since = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (since > MAKE_LIMIT_MS) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      if (!fs.existsSync(folder)) await make(root, folder);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return folder;
}
