/** Starts the built kloe (bin/kloe.js serve) as a real process on a free port with a data folder of its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CHROMIUM } from '../../src/testing/test-chromium.js';
import { demoDataFolder } from './demo-data-folder.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** A server this file launched: its process may be killed (a node that dies mid-work). */
export interface LaunchedServer extends RunningServer {
  pid: number;
  /** Sends the process a signal (SIGKILL: no chance to finish anything) and waits for it to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** How long a start may take before the server is given up on. */
const START_LIMIT_S = 360;

export async function launchServer(env: Record<string, string> = {}): Promise<LaunchedServer> {
  if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) throw new Error('kloe is not built: run `npm run build`');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-e2e-'));
  // A server on an embedded database outside production loads the demo on its first start: it starts from a
  // copy of a folder where that is done.
  if (!env.DATABASE_URL && env.KLOE_DEMO !== 'off') fs.cpSync(await demoDataFolder(root), dataDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'kloe.js'), 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      // Its reports print with the tests' chromium.
      CHROMIUM_PATH: TEST_CHROMIUM,
      // The browser files sign in many times a minute from one address; the limit itself has its own tests.
      KLOE_SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    // A first start loads the demo data, which takes a minute or more on a busy machine. A server that
    // does not start is stopped, so that it does not outlive the run.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kloe did not start within ${START_LIMIT_S} s:\n${output}`));
    }, START_LIMIT_S * 1000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /kloe is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kloe exited with ${code} before starting:\n${output}`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      await end('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    kill: end,
  };
}
