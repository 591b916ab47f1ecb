/** Running the built kloe command as a child process, as a person at a terminal would. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../paths.js';

export const kloeBin = path.join(projectRoot, 'bin', 'kloe.js');

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'main.js'))) throw new Error('run `npm run build` first');
}

/** Runs `kloe …` to completion with the given environment on top of a quiet, embedded-database one. */
export function runKloe(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [kloeBin, ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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
